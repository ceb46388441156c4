// What the governance tests share: a namespace with a resolved release, a prod environment that
// requires promotions and two approvals, and tokens for the roles involved.
import type { Role } from "../../apiserver/auth/roles.ts";
import type { TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";
import { must, NS, resolvedRelease } from "../approvals/approval-env.ts";

export { must, NS };

/** JSON merge patch headers, as `token` (admin when absent). */
export const mergeAs = (token?: string) => ({
  "content-type": "application/merge-patch+json",
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

/** The URL of environment `name`. */
export const envUrl = (name: string) => `${collection("environments", NS)}/${name}`;

/** A token for `user` holding `roles` in the test namespace. */
export const tokenFor = (env: TestEnv, user: string, roles: Role[]) =>
  env.server.issuer.issue({ subject: user, grants: roles.map((role) => ({ namespace: NS, role })) });

/**
 * The namespace, release shop-1-4-0 (resolved), dev (no policy) and prod (promotions required, 2 approvals), as admin.
 */
export async function seedGovernance(env: TestEnv): Promise<void> {
  await must(
    env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }),
    201,
  );
  await resolvedRelease(env);
  await must(env.request("POST", collection("environments", NS), environment("dev", NS)), 201);
  const prod = environment("prod", NS);
  prod.spec.approvals = { required: 2, separationOfDuties: true };
  prod.spec.promotion = { required: true };
  await must(env.request("POST", collection("environments", NS), prod), 201);
}

/** A Deployment of shop-1-4-0 into `environment`, naming `promotion` when given. */
export const deploymentInto = (name: string, environmentName: string, promotion?: string) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name, namespace: NS },
  spec: { release: "shop-1-4-0", environment: environmentName, ...(promotion ? { promotion } : {}) },
});
