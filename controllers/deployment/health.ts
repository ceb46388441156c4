// Health verdicts over time. A driver probes a unit once; this turns probes into a verdict the way
// Kubernetes probes and Nomad checks do: `healthyThreshold` consecutive successes make a unit
// healthy, `unhealthyThreshold` consecutive failures (after `startPeriod`) make it unhealthy, and a
// unit that is not running fails every probe. Counters live in memory: after a restart they start
// again from zero, which only delays a verdict, never changes it.
import { durationMillis } from "../../crds/duration.ts";
import type { HealthCheck } from "../../crds/health-check.ts";
import type { Driver, ObservedUnit } from "../../sdk/plugins/driver.ts";

/** Defaults of a health check's timing, as crds/health-check.ts documents them. */
export const HEALTH_DEFAULTS = { intervalMs: 10_000, healthyThreshold: 1, unhealthyThreshold: 3 } as const;

/** A unit's standing. */
export type Verdict = "Healthy" | "Unhealthy" | "Unknown";

interface Counters {
  successes: number;
  failures: number;
  firstSeen: number;
  lastProbe?: number;
  message: string;
}

/** The verdict on one unit and what the last probe said. */
export interface UnitHealth {
  verdict: Verdict;
  message: string;
}

/** Milliseconds between probes of `check` (10 s when omitted). */
export const probeInterval = (check: HealthCheck | undefined): number =>
  (check?.interval && durationMillis(check.interval)) || HEALTH_DEFAULTS.intervalMs;

/** Probe counters per unit id. */
export class HealthTracker {
  private readonly units = new Map<string, Counters>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Probes `unit` if its interval has passed (or it was never probed) and returns its verdict. A
   * unit without a health check is healthy while it runs.
   */
  async assess(
    driver: Driver,
    unit: ObservedUnit,
    check: HealthCheck | undefined,
    signal?: AbortSignal,
  ): Promise<UnitHealth> {
    const now = this.now();
    let c = this.units.get(unit.id);
    if (!c) this.units.set(unit.id, (c = { successes: 0, failures: 0, firstSeen: now, message: "" }));
    if (!unit.running) {
      c.successes = 0;
      c.failures++;
      c.lastProbe = now;
      c.message = unit.message ?? `container ${unit.name} is ${unit.state}`;
      return {
        verdict:
          c.failures >= (check?.unhealthyThreshold ?? HEALTH_DEFAULTS.unhealthyThreshold) ? "Unhealthy" : "Unknown",
        message: c.message,
      };
    }
    if (unit.platformHealthy === false) {
      // The platform (Nomad, ECS) judged it with its own checks and deadlines: no second opinion.
      c.message = `${unit.name}: the platform judged it unhealthy${unit.message ? ` (${unit.message})` : ""}`;
      return { verdict: "Unhealthy", message: c.message };
    }
    if (!check) return { verdict: "Healthy", message: `${unit.name} is running` };
    if (c.lastProbe === undefined || now - c.lastProbe >= probeInterval(check)) {
      const result = await driver.check(unit, check, signal);
      c.lastProbe = this.now();
      c.message = result.message;
      if (result.healthy) {
        c.successes++;
        c.failures = 0;
      } else {
        c.successes = 0;
        const grace = check.startPeriod ? (durationMillis(check.startPeriod) ?? 0) : 0;
        if (now - c.firstSeen >= grace) c.failures++;
      }
    }
    const healthy = check.healthyThreshold ?? HEALTH_DEFAULTS.healthyThreshold;
    const unhealthy = check.unhealthyThreshold ?? HEALTH_DEFAULTS.unhealthyThreshold;
    if (c.successes >= healthy) return { verdict: "Healthy", message: c.message };
    if (c.failures >= unhealthy) return { verdict: "Unhealthy", message: c.message };
    // Not decided yet: say how far the counting is, so "200 OK" while waiting reads as progress.
    const count = c.successes
      ? `${c.successes} of ${healthy} successes in a row`
      : c.failures
        ? `${c.failures} of ${unhealthy} failures in a row`
        : "in its start period";
    return { verdict: "Unknown", message: c.message ? `${c.message} (${count})` : c.message };
  }

  /** Forgets units that are gone. */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.units.delete(id);
  }
}
