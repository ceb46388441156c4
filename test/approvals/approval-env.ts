// What the approval tests share: a test apiserver with a namespace, environments with approval
// policies, tokens of people with roles, and a promotion created by one of them.
import type { Role } from "../../apiserver/auth/roles.ts";
import { collection, environment, type Manifest } from "../fixtures.ts";
import type { TestEnv, TestResponse } from "../env.ts";

/** The test namespace. */
export const NS = "shop";

/** The URL of promotion `name`, or of one of its subresources. */
export const promotionUrl = (name: string, sub?: string) =>
  `${collection("promotions", NS)}/${name}${sub ? `/${sub}` : ""}`;

/** Authorization headers for a token. */
export const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** A token for `user` holding `roles` in the test namespace, in `groups`. */
export const tokenFor = (env: TestEnv, user: string, roles: Role[], groups: string[] = []) =>
  env.server.issuer.issue({ subject: user, groups, grants: roles.map((role) => ({ namespace: NS, role })) });

/** An environment with an approval policy (none when `approvals` is undefined). */
export function environmentWith(name: string, approvals?: Record<string, unknown>): Manifest {
  const env = environment(name, NS);
  if (approvals) env.spec.approvals = approvals;
  return env;
}

/** A promotion of a release into `environment`, with whatever extra spec fields a test wants to send. */
export function promotion(name: string, environmentName: string, extra: Record<string, unknown> = {}): Manifest {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Promotion",
    metadata: { name, namespace: NS },
    spec: { release: "shop-1-4-0", environment: environmentName, ...extra },
  };
}

/** The digest of release shop-1-4-0's one component. */
export const WEB_DIGEST = `sha256:${"a".repeat(64)}`;

/** Release `name` with one component pinned by digest, created and marked resolved as the release controller would. */
export async function resolvedRelease(env: TestEnv, name = "shop-1-4-0", digest = WEB_DIGEST): Promise<void> {
  const image = `127.0.0.1:5000/shop/web@${digest}`;
  const release = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Release",
    metadata: { name, namespace: NS },
    spec: { version: "1.4.0", components: [{ name: "web", image }] },
  };
  await must(env.request("POST", collection("releases", NS), release), 201);
  const status = {
    phase: "Resolved",
    conditions: [
      {
        type: "Resolved",
        status: "True",
        reason: "Resolved",
        message: "pinned",
        lastTransitionTime: new Date().toISOString(),
      },
    ],
    components: [{ name: "web", image, digest, imageRef: image }],
  };
  await must(env.request("PATCH", `${collection("releases", NS)}/${name}/status`, { status }, MERGE), 200);
}

const MERGE = { "content-type": "application/merge-patch+json" };

/** Puts promotion `name` in `phase` (AwaitingApproval: where it takes decisions) as the controller would, as admin. */
export const inPhase = (env: TestEnv, name: string, phase = "AwaitingApproval") =>
  must(env.request("PATCH", promotionUrl(name, "status"), { status: { phase } }, MERGE), 200);

/**
 * Creates the namespace, release shop-1-4-0 (resolved) and environments: dev (no policy), staging
 * (1, separation of duties), prod (2, separation, approvers).
 */
export async function seed(env: TestEnv): Promise<void> {
  await must(
    env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }),
    201,
  );
  await resolvedRelease(env);
  await must(env.request("POST", collection("environments", NS), environmentWith("dev")), 201);
  await must(
    env.request(
      "POST",
      collection("environments", NS),
      environmentWith("staging", { required: 1, separationOfDuties: true }),
    ),
    201,
  );
  await must(
    env.request(
      "POST",
      collection("environments", NS),
      environmentWith("prod", {
        required: 2,
        separationOfDuties: true,
        approvers: { users: ["bob", "carol"], groups: ["release-managers"] },
      }),
    ),
    201,
  );
}

/** Posts a decision as `token`. */
export const decide = (env: TestEnv, token: string, name: string, body: unknown) =>
  env.request("POST", promotionUrl(name, "approval"), body, as(token));

/** Fails the test unless the response has `status`. */
export async function must(res: Promise<TestResponse> | TestResponse, status: number): Promise<TestResponse> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  return r;
}
