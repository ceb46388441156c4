// Server slots in one HAProxy backend. Each side (stable, canary) is a fixed pool of servers in the
// configuration, named after the side's server and numbered from the second on: `stable`,
// `stable-2`, ... `stable-K` and `canary`, `canary-2`, ... `canary-K`. A side's addresses fill its
// slots in order through the runtime API (`set server ... addr ... port ...`, `state ready`); the
// slots left over go into maintenance. The two sides share 100 weight points, each side's share
// spread over its ready slots, so the canary's share of unmatched requests is its weight in percent.
// Changes are made in an order that never leaves every slot at weight 0 (a side's total only rises
// before the other's falls; within a side, slots rise before others fall), then read back slot by
// slot from one `show servers state`.
import { RouterError } from "../../../sdk/plugins/router.ts";
import { parseAddress, type ServerAddress } from "./addresses.ts";
import { type RuntimeAddress, runtimeCommand } from "./runtime-api.ts";

/** The backend and the server name each side's slots are named after. */
export interface BackendServers {
  backend: string;
  stable: string;
  canary: string;
}

/** One server as `show servers state` reports it. */
export interface Slot extends ServerAddress {
  name: string;
  /** The current (user) weight. */
  weight: number;
  /** Not in forced maintenance (`set server ... state ready`). */
  ready: boolean;
}

/** What a slot must be after a change. */
interface Wanted {
  slot: Slot;
  address?: ServerAddress;
  weight: number;
  ready: boolean;
}

/** Forced maintenance in srv_admin_state (SRV_ADMF_FMAINT); `disabled` in the file sets it too. */
const FORCED_MAINTENANCE = 0x01;

/** Every server of `backend`, in the configuration's order. */
export async function readSlots(api: RuntimeAddress, backend: string, signal?: AbortSignal): Promise<Slot[]> {
  const answer = await runtimeCommand(api, `show servers state ${backend}`, signal);
  const header = answer.split("\n").find((l) => l.startsWith("# be_id"));
  if (!header) throw new RouterError("RouterRefused", `HAProxy show servers state ${backend}: ${answer}`);
  const columns = header.slice(2).split(" ");
  const slots: Slot[] = [];
  for (const line of answer.split("\n")) {
    if (line.startsWith("#") || !/^\d+ /.test(line)) continue;
    const f = line.split(" ");
    const at = (name: string) => f[columns.indexOf(name)];
    slots.push({
      name: at("srv_name"),
      host: at("srv_addr"),
      port: Number(at("srv_port")),
      weight: Number(at("srv_uweight")),
      ready: (Number(at("srv_admin_state")) & FORCED_MAINTENANCE) === 0,
    });
  }
  return slots;
}

/** The slots of the side named `server`: `server` itself first, then `server-2`, `server-3`, ... */
export function sideSlots(slots: readonly Slot[], server: string): Slot[] {
  const number = (s: Slot) => (s.name === server ? 1 : Number(/^-(\d+)$/.exec(s.name.slice(server.length))?.[1]));
  return slots
    .filter((s) => s.name.startsWith(server) && Number.isInteger(number(s)) && number(s) >= 1)
    .sort((a, b) => number(a) - number(b));
}

/** `total` weight points spread over `count` slots as evenly as whole numbers allow. */
export function spread(total: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(total / count) + (i < total % count ? 1 : 0));
}

/** The canary's share (0-100) of unmatched requests, from the ready slots' current weights. */
export function canaryShare(slots: readonly Slot[], s: BackendServers): number {
  const total = (side: string) => sideSlots(slots, side).reduce((sum, x) => sum + (x.ready ? x.weight : 0), 0);
  const [stable, canary] = [total(s.stable), total(s.canary)];
  if (stable + canary === 0)
    throw new RouterError(
      "RouterRefused",
      `HAProxy backend ${s.backend}: every ${s.stable} and ${s.canary} slot is at weight 0`,
    );
  return Math.round((100 * canary) / (stable + canary));
}

/** The canary's share of unmatched requests now. */
export async function readCanaryWeight(api: RuntimeAddress, s: BackendServers, signal?: AbortSignal) {
  return canaryShare(await readSlots(api, s.backend, signal), s);
}

/**
 * What one side's slots must become: the side's addresses in order (none given: the slots in use
 * keep theirs), its `total` points spread over them, the rest in maintenance at weight 0.
 */
function plan(slots: readonly Slot[], server: string, addresses: readonly string[], total: number): Wanted[] {
  const side = sideSlots(slots, server);
  if (side.length === 0) throw new RouterError("RouterRefused", `HAProxy backend has no server ${server}`);
  if (addresses.length > side.length)
    throw new RouterError(
      "RouterRefused",
      `HAProxy backend has ${side.length} ${server} slot(s) (${server}, ${server}-2, ...), the target ${addresses.length} addresses`,
    );
  const used = addresses.length > 0 ? addresses.length : Math.max(1, side.filter((x) => x.ready).length);
  const weights = spread(total, used);
  return side.map((slot, i) => ({
    slot,
    address: addresses[i] === undefined ? undefined : parseAddress(addresses[i]),
    weight: i < used ? weights[i] : 0,
    ready: i < used,
  }));
}

async function command(api: RuntimeAddress, cmd: string, ok: RegExp, signal?: AbortSignal) {
  const answer = (await runtimeCommand(api, cmd, signal)).trim();
  if (!ok.test(answer)) throw new RouterError("RouterRefused", `HAProxy ${cmd}: ${answer}`);
}

/** Applies one slot's address, readiness and weight (ready before weight, weight before maintenance). */
async function apply(api: RuntimeAddress, backend: string, w: Wanted, signal?: AbortSignal) {
  const name = `${backend}/${w.slot.name}`;
  if (w.address && (w.address.host !== w.slot.host || w.address.port !== w.slot.port))
    await command(api, `set server ${name} addr ${w.address.host} port ${w.address.port}`, /changed|no need/, signal);
  if (w.ready && !w.slot.ready) await command(api, `set server ${name} state ready`, /^$/, signal);
  if (w.weight !== w.slot.weight) await command(api, `set weight ${name} ${w.weight}`, /^$/, signal);
  if (!w.ready && w.slot.ready) await command(api, `set server ${name} state maint`, /^$/, signal);
}

/** Whether slot `seen` is what `w` asked for. */
function matches(seen: Slot | undefined, w: Wanted): boolean {
  if (!seen || seen.ready !== w.ready || seen.weight !== w.weight) return false;
  return !w.address || (seen.host === w.address.host && seen.port === w.address.port);
}

/**
 * Points each side's slots at its addresses (an empty list keeps the slots in use) and gives the
 * canary `weight` percent; resolves once every slot reads back as asked.
 */
export async function writeSlots(
  api: RuntimeAddress,
  s: BackendServers,
  target: { stable: readonly string[]; canary: readonly string[] },
  weight: number,
  signal?: AbortSignal,
): Promise<void> {
  const slots = await readSlots(api, s.backend, signal);
  const stable = plan(slots, s.stable, target.stable, 100 - weight);
  const canary = plan(slots, s.canary, target.canary, weight);
  const rising = (ws: Wanted[]) => ws.filter((w) => w.weight >= w.slot.weight);
  const falling = (ws: Wanted[]) => ws.filter((w) => w.weight < w.slot.weight);
  const sides = weight >= canaryShareOrZero(slots, s) ? [canary, stable] : [stable, canary];
  for (const side of sides) for (const w of [...rising(side), ...falling(side)]) await apply(api, s.backend, w, signal);
  const after = new Map((await readSlots(api, s.backend, signal)).map((x) => [x.name, x]));
  for (const w of [...stable, ...canary])
    if (!matches(after.get(w.slot.name), w))
      throw new RouterError(
        "RouterRefused",
        `HAProxy reports ${s.backend}/${w.slot.name} as ${JSON.stringify(after.get(w.slot.name))} after setting ${JSON.stringify({ ...w, slot: undefined })}`,
      );
}

/** The canary's share now; 0 when every slot is at weight 0 (a backend never set up). */
function canaryShareOrZero(slots: readonly Slot[], s: BackendServers): number {
  try {
    return canaryShare(slots, s);
  } catch {
    return 0;
  }
}
