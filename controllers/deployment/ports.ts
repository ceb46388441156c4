// Host ports. Units use the host's network, so every named port of a component needs a host port
// of its own, and the two slots of a component need different ones so old and new can run side by
// side. Ports are derived from what runs, not stored: a unit port (namespace, environment, target,
// component, port name) keeps the port its unit in the slot already holds, or the pair its unit in
// the other slot holds; otherwise a hash of it picks a pair in the range, and when another unit
// port on the same engine holds a port of that pair the next free pair is taken (linear probing),
// so two hashes that meet on one engine do not make a unit fail to bind. The slot picks one port
// of the pair. A restarted controller, the next deployment and a rollback all arrive at the same
// numbers. Two deployments placing units on one engine at the same instant can still pick the same
// free pair; that window is one apply long.
import { createHash } from "node:crypto";
import type { ReleaseComponent } from "../../crds/release.ts";
import type { Driver, ObservedUnit, Slot, UnitPort } from "../../sdk/plugins/driver.ts";

/** The host ports Stella may assign, inclusive; `from` even, at least one pair. */
export interface PortRange {
  from: number;
  to: number;
}

/** The default range, below Linux's ephemeral ports (32768-60999). */
export const DEFAULT_PORT_RANGE: PortRange = { from: 20000, to: 29999 };

/** A host port in use on one engine: the unit port holding it (see `portIdentity`) and its slot. */
export interface HeldPort {
  identity: string;
  slot: Slot;
}

/** Host ports in use on one engine. */
export type HeldPorts = ReadonlyMap<number, HeldPort>;

/** Where a unit set is placed, as far as its ports go. */
export interface PortScope {
  namespace: string;
  environment: string;
  target: string;
}

/** Raised when every pair of the range is held by other unit ports. */
export class PortRangeExhaustedError extends Error {
  override readonly name = "PortRangeExhaustedError";
}

/** Which port of a pair a slot takes: blue the first, green the second. */
const slotOffset = (slot: Slot) => (slot === "blue" ? 0 : 1);

const portIdentity = (scope: PortScope, component: string, port: string): string =>
  `${scope.namespace}/${scope.environment}/${scope.target}/${component}/${port}`;

/** The host ports the units observed on an engine hold. */
export function heldPorts(units: readonly ObservedUnit[]): HeldPorts {
  const held = new Map<number, HeldPort>();
  for (const u of units)
    for (const p of u.ports) held.set(p.hostPort, { identity: portIdentity(u, u.component, p.name), slot: u.slot });
  return held;
}

/**
 * The host port of unit port `identity` in `slot`: the one its unit in that slot holds; else its
 * pair's (the pair its unit in the other slot holds) unless another unit port holds it; else the
 * slot's port of the hashed pair, or of the next pair no other unit port holds a port of.
 */
function hostPort(range: PortRange, identity: string, slot: Slot, held: HeldPorts): number {
  const pairs = Math.floor((range.to - range.from + 1) / 2);
  if (pairs < 1) throw new RangeError(`port range ${range.from}-${range.to} holds no pair of ports`);
  const offset = slotOffset(slot);
  const inRange = (port: number) => port >= range.from && port <= range.from + pairs * 2 - 1;
  const others = (port: number) => {
    const h = held.get(port);
    return h !== undefined && h.identity !== identity;
  };
  const own = [...held].filter(([port, h]) => h.identity === identity && inRange(port));
  const kept = own.find(([, h]) => h.slot === slot);
  if (kept) return kept[0];
  for (const [port] of own) {
    const candidate = range.from + Math.floor((port - range.from) / 2) * 2 + offset;
    if (!others(candidate)) return candidate;
  }
  const hashed = createHash("sha256").update(identity).digest().readUInt32BE(0) % pairs;
  for (let i = 0; i < pairs; i++) {
    const base = range.from + ((hashed + i) % pairs) * 2;
    if (!others(base) && !others(base + 1)) return base + offset;
  }
  throw new PortRangeExhaustedError(
    `every host port pair in ${range.from}-${range.to} is held by other units; widen the controllers' port range`,
  );
}

/**
 * The host ports of `component` in `slot`, one per named port. `held` is what the engine's units
 * hold now (`heldPorts`); without it only the hash decides.
 */
export function unitPorts(
  range: PortRange,
  scope: PortScope,
  component: ReleaseComponent,
  slot: Slot,
  held: HeldPorts = new Map(),
): UnitPort[] {
  return claimPorts(range, scope, component, slot, new Map(held));
}

/**
 * The host ports of every component of a unit set in `slot`, by component name. The components'
 * units do not run yet, so what the engine holds (`held`) cannot keep two of them off one pair:
 * each component's pairs count as held for the components after it.
 */
export function setPorts(
  range: PortRange,
  scope: PortScope,
  components: readonly ReleaseComponent[],
  slot: Slot,
  held: HeldPorts = new Map(),
): Map<string, UnitPort[]> {
  const taken = new Map(held);
  return new Map(components.map((c) => [c.name, claimPorts(range, scope, c, slot, taken)]));
}

/** unitPorts, recording each pair chosen in `taken`. */
function claimPorts(
  range: PortRange,
  scope: PortScope,
  component: ReleaseComponent,
  slot: Slot,
  taken: Map<number, HeldPort>,
): UnitPort[] {
  return (component.ports ?? []).map((p) => {
    const identity = portIdentity(scope, component.name, p.name);
    const port = hostPort(range, identity, slot, taken);
    // The pair is this port's now, so no other named port of the set picks it too.
    const base = port - slotOffset(slot);
    taken.set(base, { identity, slot: "blue" }).set(base + 1, { identity, slot: "green" });
    return {
      name: p.name,
      containerPort: p.containerPort,
      hostPort: port,
      ...(p.protocol ? { protocol: p.protocol } : {}),
    };
  });
}

/** The host ports a unit set may take: the range, and the ports the engine's units hold now. */
export interface PortPlan {
  range: PortRange;
  held?: HeldPorts;
}

/**
 * The host ports a unit set on `driver`'s engine may take: the range, minus what others hold now.
 * Platforms that place units themselves (Nomad, ECS) refuse a placement whose port is taken rather
 * than start a unit that cannot bind, and listing all of their workloads is costly, so they get
 * the range alone.
 */
export async function portPlan(range: PortRange, driver: Driver, signal?: AbortSignal): Promise<PortPlan> {
  if (driver.capabilities?.nativeRollout) return { range };
  return { range, held: heldPorts(await driver.observe({}, signal)) };
}

/** The other slot. */
export const otherSlot = (slot: Slot): Slot => (slot === "blue" ? "green" : "blue");
