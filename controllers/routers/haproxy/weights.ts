// Server weights in one HAProxy backend: the stable and canary servers share 100 weight points, so
// the canary's share of unmatched requests is its weight in percent. Changed through the runtime
// API (no reload) in an order that never leaves both servers at 0, then read back.
import { RouterError } from "../../../sdk/plugins/router.ts";
import { type RuntimeAddress, runtimeCommand } from "./runtime-api.ts";

/** The backend and its two server names. */
export interface BackendServers {
  backend: string;
  stable: string;
  canary: string;
}

/** The weight HAProxy applies to `server` now (its current, not its initial, weight). */
export async function readWeight(api: RuntimeAddress, backend: string, server: string, signal?: AbortSignal) {
  const answer = await runtimeCommand(api, `get weight ${backend}/${server}`, signal);
  const m = /^(\d+) \(initial \d+\)$/.exec(answer.trim());
  if (!m) throw new RouterError("RouterRefused", `HAProxy get weight ${backend}/${server}: ${answer.trim()}`);
  return Number(m[1]);
}

/** The canary's share (0-100) of unmatched requests, from both servers' current weights. */
export async function readCanaryWeight(api: RuntimeAddress, s: BackendServers, signal?: AbortSignal) {
  const stable = await readWeight(api, s.backend, s.stable, signal);
  const canary = await readWeight(api, s.backend, s.canary, signal);
  if (stable + canary === 0)
    throw new RouterError(
      "RouterRefused",
      `HAProxy backend ${s.backend}: both ${s.stable} and ${s.canary} have weight 0`,
    );
  return Math.round((100 * canary) / (stable + canary));
}

async function setWeight(api: RuntimeAddress, backend: string, server: string, weight: number, signal?: AbortSignal) {
  const answer = await runtimeCommand(api, `set weight ${backend}/${server} ${weight}`, signal);
  if (answer.trim() !== "")
    throw new RouterError("RouterRefused", `HAProxy set weight ${backend}/${server}: ${answer}`);
}

/** Sets the canary to `weight` percent; raises one side before lowering the other. */
export async function writeCanaryWeight(api: RuntimeAddress, s: BackendServers, weight: number, signal?: AbortSignal) {
  const current = await readWeight(api, s.backend, s.canary, signal);
  const steps: Array<[string, number]> =
    weight >= current
      ? [
          [s.canary, weight],
          [s.stable, 100 - weight],
        ]
      : [
          [s.stable, 100 - weight],
          [s.canary, weight],
        ];
  for (const [server, w] of steps) await setWeight(api, s.backend, server, w, signal);
}
