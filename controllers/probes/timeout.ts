// How long one probe of a health check may take.
import { durationMillis } from "../../crds/duration.ts";
import type { HealthCheck } from "../../crds/health-check.ts";

/** The default probe timeout (HealthCheck.timeout omitted): one second. */
export const DEFAULT_PROBE_TIMEOUT_MS = 1000;

/** The check's timeout in milliseconds, or the default. */
export function probeTimeoutMillis(check: HealthCheck): number {
  return (check.timeout && durationMillis(check.timeout)) || DEFAULT_PROBE_TIMEOUT_MS;
}
