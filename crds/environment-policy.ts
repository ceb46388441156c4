// An environment's policy: the fields that decide whether a release may enter it (upstream, soak,
// approvals, freeze windows, gates, promotion policy). They are apart from the rest of the spec
// because they are governed apart: an approval binds to their digest, and changing them takes a
// role other than the one that requests promotions (the apiserver's environment strategy).
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import canonicalize from "canonicalize";
import type { EnvironmentSpec } from "./environment.ts";

/** The spec fields that make up an environment's policy; the others (targets, deployment settings, …) are not. */
export const POLICY_FIELDS = ["upstream", "requiredSoak", "approvals", "freezeWindows", "gates", "promotion"] as const;
/** One of POLICY_FIELDS. */
export type PolicyField = (typeof POLICY_FIELDS)[number];

type SpecLike = Partial<EnvironmentSpec> | undefined;

/** The policy part of an environment spec; fields that are not set are left out. */
export function environmentPolicy(spec: SpecLike): Partial<Pick<EnvironmentSpec, PolicyField>> {
  const out: Record<string, unknown> = {};
  for (const f of POLICY_FIELDS) if (spec?.[f] !== undefined) out[f] = spec[f];
  return out;
}

/** `sha256:<hex>` of the RFC 8785 canonical JSON of the policy: what approvals and evidence name. */
export function policyDigest(spec: SpecLike): string {
  return `sha256:${createHash("sha256")
    .update(canonicalize(environmentPolicy(spec)) ?? "{}")
    .digest("hex")}`;
}

/** The policy fields that differ between two specs, as `spec.<field>` paths. */
export function changedPolicyFields(before: SpecLike, after: SpecLike): string[] {
  return POLICY_FIELDS.filter((f) => !isDeepStrictEqual(before?.[f], after?.[f])).map((f) => `spec.${f}`);
}

/** Whether releases may enter the environment only through promotions (spec.promotion.required). */
export const promotionRequired = (spec: SpecLike): boolean => spec?.promotion?.required === true;
