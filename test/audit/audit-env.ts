// What the audit tests share: a namespace with writes by two people, split in two batches by a
// known instant, so filters by user, resource, verb and time have exact expected answers.
import type { Role } from "../../apiserver/auth/roles.ts";
import { collection, environment } from "../fixtures.ts";
import type { TestEnv } from "../env.ts";

/** The test namespace. */
export const NS = "audited";

/** Authorization headers for a token. */
export const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** A token for `user` with `role` in NS (or every namespace with "*"). */
export const tokenFor = (env: TestEnv, user: string, role: Role, namespace = NS) =>
  env.server.issuer.issue({ subject: user, grants: [{ namespace, role }] });

/** The instant between the two batches of writes, RFC 3339 with milliseconds. */
export interface Seeded {
  boundary: string;
}

/**
 * Batch 1: alice creates environments dev and staging, bob creates target t1 and is refused an
 * environment (403, audited). Batch 2, strictly after `boundary`: alice updates dev's labels and
 * deletes staging, bob creates a promotion.
 */
export async function seedWrites(env: TestEnv): Promise<Seeded> {
  const ok = async (p: Promise<{ status: number; text: string }>, status: number) => {
    const r = await p;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  };
  await ok(
    env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }),
    201,
  );
  const alice = await tokenFor(env, "alice", "operator");
  const bob = await tokenFor(env, "bob", "operator");
  const bobViewer = await tokenFor(env, "bob", "viewer", "default");
  await ok(env.request("POST", collection("environments", NS), environment("dev", NS), as(alice)), 201);
  await ok(env.request("POST", collection("environments", NS), environment("staging", NS), as(alice)), 201);
  const target = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: "t1", namespace: NS },
    spec: { driver: "docker", docker: {} },
  };
  await ok(env.request("POST", collection("targets", NS), target, as(bob)), 201);
  await ok(
    env.request("POST", collection("environments", "default"), environment("nope", "default"), as(bobViewer)),
    403,
  );
  const boundary = await instantAfterLastRecord(env);
  await ok(
    env.request(
      "PATCH",
      `${collection("environments", NS)}/dev`,
      { metadata: { labels: { tier: "1" } } },
      { ...as(alice), "content-type": "application/merge-patch+json" },
    ),
    200,
  );
  await ok(env.request("DELETE", `${collection("environments", NS)}/staging`, undefined, as(alice)), 200);
  const promotion = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Promotion",
    metadata: { name: "p1", namespace: NS },
    spec: { release: "r1", environment: "dev" },
  };
  await ok(env.request("POST", collection("promotions", NS), promotion, as(bob)), 201);
  return { boundary };
}

/** An instant later than every record in the log so far; returns once the clock has passed it. */
async function instantAfterLastRecord(env: TestEnv): Promise<string> {
  const [last] = (await env.server.storage.queryAuditPage({ limit: 1 })).records;
  const boundary = Date.parse(last.time) + 1;
  while (Date.now() <= boundary) await new Promise((r) => setTimeout(r, 2));
  return new Date(boundary).toISOString();
}
