// What an approval was given for: the exact release (its name and resolved digests) and the
// environment's policy (its digest) at the moment of the decision. The apiserver records it from
// the stored objects, never from the request; the approval gate counts an approval only while the
// binding still matches, so an approval can not be carried over to other bytes or a looser policy.
import type { Environment } from "./environment.ts";
import { policyDigest } from "./environment-policy.ts";
import type { ApprovalBinding } from "./promotion.ts";
import type { Release } from "./release.ts";

/** The release's pinned component references, `component=repository@sha256:…`, in component order. */
export function releaseDigests(release: Release): string[] {
  return (release.status?.components ?? []).map((c) => `${c.name}=${c.imageRef}`);
}

/** The binding of a decision taken now on `release` under `environment`'s policy. */
export function approvalBinding(release: Release, environment: Environment): ApprovalBinding {
  const name = release.metadata.name ?? "";
  return { release: name, digests: releaseDigests(release), policyDigest: policyDigest(environment.spec) };
}

/**
 * Why an approval bound to `given` does not hold for `current` (what is promoted and the policy
 * in force now), in words; undefined when it holds. An approval with no binding never holds.
 */
export function bindingVoided(given: ApprovalBinding | undefined, current: ApprovalBinding): string | undefined {
  if (!given) return "it is bound to no release (recorded before approvals were bound)";
  if (given.release !== current.release) return `it was given for release ${given.release}, not ${current.release}`;
  if (given.digests.join(",") !== current.digests.join(",")) {
    const then = given.digests.join(", ") || "none";
    return `release ${current.release} now has other digests than it was approved with (${then})`;
  }
  if (given.policyDigest !== current.policyDigest) {
    const [then, now] = [short(given.policyDigest), short(current.policyDigest)];
    return `the environment's policy changed since (${then} then, ${now} now)`;
  }
  return undefined;
}

const short = (digest: string) => digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, "$1…");
