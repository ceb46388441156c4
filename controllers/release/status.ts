// Small pure pieces of the release status: the Ready summary, verdict timestamps that move only
// when a verdict changes, and the comparison that decides whether status needs a write at all.
import { isDeepStrictEqual } from "node:util";
import type { Condition } from "../../crds/meta.ts";
import { ReleaseConditions, type ComponentSignature, type ReleaseStatus } from "../../crds/release.ts";
import { findCondition, isTrue, setCondition } from "../runtime/index.ts";

/** `conditions` with Ready: True when resolved, and verified if the release requires signatures. */
export function withReady(
  conditions: Condition[],
  verificationRequired: boolean,
  generation: number,
  now: string,
): Condition[] {
  const resolved = isTrue(conditions, ReleaseConditions.Resolved);
  const verified = !verificationRequired || isTrue(conditions, ReleaseConditions.Verified);
  const blocking = !resolved
    ? findCondition(conditions, ReleaseConditions.Resolved)
    : findCondition(conditions, ReleaseConditions.Verified);
  const ready = resolved && verified;
  return setCondition(
    conditions,
    {
      type: ReleaseConditions.Ready,
      status: ready ? "True" : "False",
      reason: ready ? "Ready" : !resolved ? "NotResolved" : "NotVerified",
      message: ready
        ? "every component is pinned to a digest" + (verificationRequired ? " with a verified signature" : "")
        : (blocking?.message ?? ""),
      observedGeneration: generation,
    },
    now,
  );
}

/** `next` verdicts, each keeping its previous verifiedAt when the verdict itself did not change. */
export function keepVerdictTimes(
  next: ComponentSignature[],
  previous: readonly ComponentSignature[] | undefined,
): ComponentSignature[] {
  return next.map((s) => {
    const old = previous?.find((p) => p.name === s.name);
    if (!old) return s;
    const { verifiedAt: _a, ...a } = s;
    const { verifiedAt: _b, ...b } = old;
    return isDeepStrictEqual(a, b) ? { ...s, verifiedAt: old.verifiedAt ?? s.verifiedAt } : s;
  });
}

/** The status without keys whose value is undefined or an empty list, for comparison and writing. */
export function compactStatus(status: ReleaseStatus): ReleaseStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out as ReleaseStatus;
}

/** Whether two statuses say the same. */
export const sameStatus = (a: ReleaseStatus, b: ReleaseStatus): boolean =>
  isDeepStrictEqual(compactStatus(a), compactStatus(b));
