// A Target's status from one probe, and the rule that keeps status writes few: a probe whose only
// news is its time is written once lastProbeTime is a probe interval old. So lastProbeTime is
// always the time of a real probe whose findings status shows, and lags the newest probe by less
// than one interval; anything else that changes (readiness, reason, platform, units, generation)
// is written at once.
import { isDeepStrictEqual } from "node:util";
import { TargetConditions, type Target, type TargetStatus } from "../../crds/target.ts";
import type { ObservedUnit, PlatformInfo } from "../../sdk/plugins/driver.ts";
import { setCondition } from "../runtime/index.ts";
import type { ProbeOutcome } from "./probe.ts";

/** The reason of Ready=True. */
export const REACHABLE = "Reachable";

/** One entry of status.units. */
export type UnitSummary = NonNullable<TargetStatus["units"]>[number];

/** What answered, for the Ready message: `Docker Engine 20.10.24 linux/amd64`. */
export function platformMessage(p: PlatformInfo): string {
  const where = p.os && p.arch ? `${p.os}/${p.arch}` : (p.os ?? p.arch);
  return [p.name, p.version, where].filter(Boolean).join(" ");
}

/** An observed unit as status.units shows it. */
export function unitSummary(u: ObservedUnit): UnitSummary {
  return {
    id: u.id,
    component: u.component,
    release: u.release,
    deployment: u.deployment,
    image: u.imageRef,
    state: u.state,
    healthy: u.platformHealthy,
  };
}

/**
 * The status after a probe at `now`. Reachable: Ready=True with the platform and the units in a
 * stable order. Not reachable: Ready=False with the driver's reason and message, and neither
 * platform nor units (nothing was observed).
 */
export function targetStatus(target: Target, outcome: ProbeOutcome, now: string): TargetStatus {
  const old = target.status ?? {};
  const generation = target.metadata.generation ?? 0;
  const ready = outcome.reachable
    ? {
        type: TargetConditions.Ready,
        status: "True" as const,
        reason: REACHABLE,
        message: platformMessage(outcome.platform),
        observedGeneration: generation,
      }
    : {
        type: TargetConditions.Ready,
        status: "False" as const,
        reason: outcome.reason,
        message: outcome.message,
        observedGeneration: generation,
      };
  const next: TargetStatus = {
    ...old,
    observedGeneration: generation,
    conditions: setCondition(old.conditions, ready, now),
    lastProbeTime: now,
  };
  delete next.platform;
  delete next.units;
  delete next.rollouts;
  if (outcome.reachable) {
    const rollouts = (outcome.rollouts ?? [])
      .map(({ namespace: _ns, ...r }) => compact(r))
      .sort((a, b) => compare(a.id, b.id));
    if (rollouts.length > 0) next.rollouts = rollouts;
    next.platform = compact({ ...outcome.platform });
    const units = [...outcome.units]
      .sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id))
      .map((u) => compact(unitSummary(u)));
    if (units.length > 0) next.units = units;
  }
  return next;
}

/** Whether `next` must be written over `old` (see the rule above); `nowMs` is the probe's time. */
export function needsWrite(old: TargetStatus, next: TargetStatus, probeIntervalMs: number, nowMs: number): boolean {
  const { lastProbeTime: oldTime, ...oldRest } = old;
  const { lastProbeTime: _next, ...nextRest } = next;
  if (!isDeepStrictEqual(compact(oldRest), compact(nextRest))) return true;
  const last = oldTime === undefined ? NaN : Date.parse(oldTime);
  return Number.isNaN(last) || nowMs - last >= probeIntervalMs;
}

/** When the next probe is due after status says `lastProbeTime`: in ms from `nowMs`, at least `floorMs`. */
export function nextProbeIn(
  lastProbeTime: string | undefined,
  probeIntervalMs: number,
  nowMs: number,
  floorMs = 10,
): number {
  const last = lastProbeTime === undefined ? NaN : Date.parse(lastProbeTime);
  return Number.isNaN(last) ? probeIntervalMs : Math.max(floorMs, last + probeIntervalMs - nowMs);
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
