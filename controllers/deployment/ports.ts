// Host ports. Units use the host's network, so every named port of a component needs a host port
// of its own, and the two slots of a component need different ones so old and new can run side by
// side. Ports are derived, not stored: a hash of (namespace, environment, target, component, port
// name) picks a pair in the range, the slot picks one of the pair (targets sharing one engine thus
// get ports of their own). A restarted controller, the next deployment and a rollback all arrive
// at the same numbers. Hash collisions are possible but rare (5,000 pairs by default).
import { createHash } from "node:crypto";
import type { ReleaseComponent } from "../../crds/release.ts";
import type { Slot, UnitPort } from "../../sdk/plugins/driver.ts";

/** The host ports Stella may assign, inclusive; `from` even, at least one pair. */
export interface PortRange {
  from: number;
  to: number;
}

/** The default range, below Linux's ephemeral ports (32768-60999). */
export const DEFAULT_PORT_RANGE: PortRange = { from: 20000, to: 29999 };

/** Where a port's pair starts: a hash of its identity, spread over the range's pairs. */
function pairBase(range: PortRange, identity: string): number {
  const pairs = Math.floor((range.to - range.from + 1) / 2);
  if (pairs < 1) throw new RangeError(`port range ${range.from}-${range.to} holds no pair of ports`);
  const n = createHash("sha256").update(identity).digest().readUInt32BE(0);
  return range.from + (n % pairs) * 2;
}

/** The host ports of `component` in `slot`, one per named port. */
export function unitPorts(
  range: PortRange,
  scope: { namespace: string; environment: string; target: string },
  component: ReleaseComponent,
  slot: Slot,
): UnitPort[] {
  return (component.ports ?? []).map((p) => ({
    name: p.name,
    containerPort: p.containerPort,
    hostPort:
      pairBase(range, `${scope.namespace}/${scope.environment}/${scope.target}/${component.name}/${p.name}`) +
      (slot === "blue" ? 0 : 1),
    ...(p.protocol ? { protocol: p.protocol } : {}),
  }));
}

/** The other slot. */
export const otherSlot = (slot: Slot): Slot => (slot === "blue" ? "green" : "blue");
