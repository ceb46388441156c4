// After a canary succeeded: the old stable units are removed once status.scaleDownAt has come (the
// canary has held all traffic for spec.scaleDownDelay by then). Done once; status.scaledDownAt
// says when. A restarted controller finds the time in status and removes them then.
import type { Canary, CanaryStatus } from "../../crds/canary.ts";
import type { CanaryDeps } from "./deps.ts";

/** Removes the old stable units of a Succeeded canary when due; resolves with when to look again. */
export async function scaleDownWhenDue(
  canary: Canary,
  status: CanaryStatus,
  deps: CanaryDeps,
  signal?: AbortSignal,
): Promise<number | undefined> {
  if (status.phase !== "Succeeded" || !status.scaleDownAt || status.scaledDownAt) return undefined;
  const left = Date.parse(status.scaleDownAt) - deps.now();
  if (left > 0) return left;
  await deps.units.removeStable({ ...canary, status }, signal);
  status.scaledDownAt = new Date(deps.now()).toISOString();
  status.message = `${status.message ?? ""}; ${status.stableRelease ?? "the old stable release"} scaled down`;
  return undefined;
}
