// Builders of the objects the promotion unit tests reason about (no I/O).
import type { Deployment, DeploymentStatus } from "../../../crds/deployment.ts";
import type { Environment, EnvironmentSpec } from "../../../crds/environment.ts";
import type { Approval, ApprovalBinding, Promotion, PromotionSpec } from "../../../crds/promotion.ts";
import type { Release } from "../../../crds/release.ts";

/** 12:MM UTC on 2025-01-01, as ISO. */
export const at = (minute: number, second = 0): string =>
  new Date(Date.UTC(2025, 0, 1, 12, minute, second)).toISOString();
/** 12:MM UTC on 2025-01-01, in ms. */
export const ms = (minute: number, second = 0): number => Date.parse(at(minute, second));

/** An Environment `name` in namespace shop. */
export const env = (
  name: string,
  spec: Partial<EnvironmentSpec> = {},
  status: Environment["status"] = {},
): Environment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace: "shop", uid: `uid-env-${name}`, generation: 1 },
  spec: { targetSelector: { matchLabels: { env: name } }, ...spec },
  status,
});

const hex = (c: string) => c.repeat(64);

/** A resolved Release `name` with one web component at digest sha256:aaaa…. */
export const release = (
  name: string,
  extra: Partial<Release["spec"]> = {},
  conditions: NonNullable<Release["status"]>["conditions"] = [],
): Release => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Release",
  metadata: { name, namespace: "shop", uid: `uid-rel-${name}`, generation: 1 },
  spec: { version: name, components: [{ name: "web", image: "127.0.0.1:5000/shop/web:1.4.0" }], ...extra },
  status: {
    phase: "Resolved",
    conditions: [{ type: "Resolved", status: "True", reason: "Resolved" }, ...conditions],
    components: [
      {
        name: "web",
        image: "127.0.0.1:5000/shop/web:1.4.0",
        digest: `sha256:${hex("a")}`,
        imageRef: `127.0.0.1:5000/shop/web@sha256:${hex("a")}`,
      },
    ],
  },
});

/** A Deployment `name` of `rel` into `environment` with `status`. */
export const deployment = (
  name: string,
  rel: string,
  environment: string,
  status: DeploymentStatus = {},
  extra: Partial<Deployment["metadata"]> = {},
): Deployment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name, namespace: "shop", uid: `uid-dep-${name}`, creationTimestamp: at(0), ...extra },
  spec: { release: rel, environment },
  status,
});

/** A deployment that landed `rel` in `environment` at minute `minute`. */
export const landed = (name: string, rel: string, environment: string, minute: number, second = 0): Deployment =>
  deployment(name, rel, environment, { phase: "Succeeded", completedAt: at(minute, second) });

/** A Promotion `name` requested by alice. */
export const promotion = (
  name: string,
  spec: Partial<PromotionSpec> = {},
  status: Promotion["status"] = {},
  created = at(0),
): Promotion => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Promotion",
  metadata: {
    name,
    namespace: "shop",
    uid: `uid-promo-${name}`,
    generation: 1,
    resourceVersion: "1",
    creationTimestamp: created,
  },
  spec: { release: "r1", environment: "staging", requestedBy: { username: "alice" }, ...spec },
  status,
});

/** An approval entry, bound to `binding` (what the apiserver records: crds/approval-binding.ts) when given. */
export const approval = (
  user: string,
  decision: Approval["decision"] = "Approved",
  minute = 1,
  groups?: string[],
  binding?: ApprovalBinding,
): Approval => ({
  user: { username: user, ...(groups ? { groups } : {}) },
  decision,
  time: at(minute),
  ...(decision === "Rejected" ? { comment: "not this week" } : {}),
  ...(binding ? { binding } : {}),
});
