// What the approval tests share: a test apiserver with a namespace, environments with approval
// policies, tokens of people with roles, and a promotion created by one of them.
import type { Role } from "../../apiserver/auth/roles.ts";
import { collection, environment, type Manifest } from "../fixtures.ts";
import type { TestEnv, TestResponse } from "../env.ts";

/** The test namespace. */
export const NS = "shop";

/** The URL of promotion `name`, or of one of its subresources. */
export const promotionUrl = (name: string, sub?: string) => `${collection("promotions", NS)}/${name}${sub ? `/${sub}` : ""}`;

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
  return { apiVersion: "release.stella.io/v1alpha1", kind: "Promotion", metadata: { name, namespace: NS }, spec: { release: "shop-1-4-0", environment: environmentName, ...extra } };
}

/** Creates the namespace and environments: dev (no policy), staging (1, separation of duties), prod (2, separation, approvers). */
export async function seed(env: TestEnv): Promise<void> {
  await must(env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }), 201);
  await must(env.request("POST", collection("environments", NS), environmentWith("dev")), 201);
  await must(env.request("POST", collection("environments", NS), environmentWith("staging", { required: 1, separationOfDuties: true })), 201);
  await must(env.request("POST", collection("environments", NS), environmentWith("prod", { required: 2, separationOfDuties: true, approvers: { users: ["bob", "carol"], groups: ["release-managers"] } })), 201);
}

/** Posts a decision as `token`. */
export const decide = (env: TestEnv, token: string, name: string, body: unknown) => env.request("POST", promotionUrl(name, "approval"), body, as(token));

/** Fails the test unless the response has `status`. */
export async function must(res: Promise<TestResponse> | TestResponse, status: number): Promise<TestResponse> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  return r;
}
