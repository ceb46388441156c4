// Server addresses in one HAProxy backend: the canary's units start on new ports (the free slot), so
// the router points the backend's server slots at them through the runtime API (slots.ts) and reads
// the addresses back from `show servers state`.
import { RouterError } from "../../../sdk/plugins/router.ts";
import { type RuntimeAddress, runtimeCommand } from "./runtime-api.ts";

/** Host and port of a server, as `show servers state` gives them. */
export interface ServerAddress {
  host: string;
  port: number;
}

/** Parses `host:port` (the form RouteTarget addresses take). */
export function parseAddress(text: string): ServerAddress {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text);
  if (!m) throw new RouterError("InvalidRouterSettings", `backend address ${JSON.stringify(text)} is not host:port`);
  return { host: m[1], port: Number(m[2]) };
}

/** Every server of `backend` with its address, by server name. */
export async function readAddresses(api: RuntimeAddress, backend: string, signal?: AbortSignal) {
  const answer = await runtimeCommand(api, `show servers state ${backend}`, signal);
  const header = answer.split("\n").find((l) => l.startsWith("# be_id"));
  if (!header) throw new RouterError("RouterRefused", `HAProxy show servers state ${backend}: ${answer}`);
  const columns = header.slice(2).split(" ");
  const at = (name: string) => columns.indexOf(name);
  const servers = new Map<string, ServerAddress>();
  for (const line of answer.split("\n")) {
    if (line.startsWith("#") || !/^\d+ /.test(line)) continue;
    const f = line.split(" ");
    servers.set(f[at("srv_name")], { host: f[at("srv_addr")], port: Number(f[at("srv_port")]) });
  }
  return servers;
}
