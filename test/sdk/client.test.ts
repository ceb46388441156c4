// The sdk client against a real in-process apiserver over HTTPS: CRUD, patches, errors.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  isAlreadyExists,
  isConflict,
  isInvalid,
  isNotFound,
  isUnauthorized,
  type ApiError,
} from "../../crds/errors.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { namespaceKind } from "../../crds/namespace.ts";
import { Client } from "../../sdk/client.ts";
import { ConnectionError } from "../../sdk/errors.ts";
import { startEnv, type TestEnv } from "../env.ts";

let env: TestEnv;
let client: Client;

before(async () => {
  env = await startEnv({ listen: true });
  client = await Client.fromKubeconfig({ path: env.server.kubeconfigPath });
  await client.resource(namespaceKind).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
});

after(async () => {
  client.close();
  await env.stop();
});

const environment = (name: string, labels: Record<string, string> = {}): Environment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace: "shop", labels },
  spec: { targetSelector: { matchLabels: { "stella.io/environment": name } } },
});

test("create, get, update, and optimistic concurrency", async () => {
  const envs = client.resource<Environment>(environmentKind);
  const created = await envs.create(environment("dev"));
  assert.ok(created.metadata.uid);
  assert.equal(created.metadata.generation, 1);
  await assert.rejects(envs.create(environment("dev")), isAlreadyExists);

  const got = await envs.get("dev", { namespace: "shop" });
  assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
  const updated = await envs.update({ ...got, spec: { ...got.spec, displayName: "Development" } });
  assert.equal(updated.metadata.generation, 2);
  await assert.rejects(envs.update({ ...got, spec: { ...got.spec, displayName: "stale" } }), isConflict);

  const withStatus = await envs.updateStatus({
    ...updated,
    spec: { ...updated.spec, displayName: "ignored" },
    status: { phase: "Ready" },
  });
  assert.equal(withStatus.status?.phase, "Ready");
  assert.equal(withStatus.spec.displayName, "Development", "status writes ignore spec");
  assert.equal(withStatus.metadata.generation, 2, "status writes keep the generation");
});

test("list filters by label and pages with limit and continue", async () => {
  const envs = client.resource<Environment>(environmentKind);
  for (const n of ["p1", "p2", "p3"]) await envs.create(environment(n, { tier: "paged" }));
  const all = await envs.list({ namespace: "shop", labelSelector: "tier=paged" });
  assert.deepEqual(all.items.map((e) => e.metadata.name).sort(), ["p1", "p2", "p3"]);
  const page = await envs.list({ namespace: "shop", labelSelector: "tier=paged", limit: 2 });
  assert.equal(page.items.length, 2);
  assert.ok(page.metadata.continue);
  const rest = await envs.list({
    namespace: "shop",
    labelSelector: "tier=paged",
    limit: 2,
    continue: page.metadata.continue,
  });
  assert.equal(rest.items.length, 1);
  const byName = await envs.list({ namespace: "shop", fieldSelector: "metadata.name=p2" });
  assert.deepEqual(
    byName.items.map((e) => e.metadata.name),
    ["p2"],
  );
  const everywhere = await envs.listAll({ labelSelector: "tier=paged", pageSize: 1 });
  assert.equal(everywhere.items.length, 3);
  assert.ok(Number(everywhere.resourceVersion) > 0);
});

test("merge patch, JSON patch and server-side apply with field managers", async () => {
  const envs = client.resource<Environment>(environmentKind);
  await envs.create(environment("patched"));
  const merged = await envs.patch("patched", { spec: { displayName: "Merged" } }, { type: "merge", namespace: "shop" });
  assert.equal(merged.spec.displayName, "Merged");
  const jsoned = await envs.patch("patched", [{ op: "replace", path: "/spec/displayName", value: "Jsoned" }], {
    type: "json",
    namespace: "shop",
  });
  assert.equal(jsoned.spec.displayName, "Jsoned");

  const applied = await envs.apply(
    { ...environment("applied"), spec: { ...environment("applied").spec, displayName: "A" } },
    { fieldManager: "team-a" },
  );
  assert.equal(applied.spec.displayName, "A");
  const clash = { ...environment("applied"), spec: { ...environment("applied").spec, displayName: "B" } };
  await assert.rejects(envs.apply(clash, { fieldManager: "team-b" }), (e) => isConflict(e));
  const forced = await envs.apply(clash, { fieldManager: "team-b", force: true });
  assert.equal(forced.spec.displayName, "B");
});

test("dryRun validates without storing", async () => {
  const envs = client.resource<Environment>(environmentKind);
  const dry = await envs.create(environment("dry"), { dryRun: true });
  assert.equal(dry.metadata.name, "dry");
  await assert.rejects(envs.get("dry", { namespace: "shop" }), isNotFound);
});

test("delete, with a propagation policy; a second delete is NotFound", async () => {
  const envs = client.resource<Environment>(environmentKind);
  await envs.create(environment("gone"));
  await envs.delete("gone", { namespace: "shop", propagationPolicy: "Background" });
  await assert.rejects(envs.get("gone", { namespace: "shop" }), isNotFound);
  await assert.rejects(envs.delete("gone", { namespace: "shop" }), isNotFound);
});

test("an invalid object is an ApiError naming the field", async () => {
  const envs = client.resource<Environment>(environmentKind);
  const bad = {
    ...environment("bad"),
    spec: { targetSelector: { matchLabels: {} }, requiredSoak: "10m" },
  } as Environment;
  await assert.rejects(
    envs.create(bad),
    (e) => isInvalid(e) && (e as ApiError).details.causes!.some((c) => c.field === "spec.requiredSoak"),
  );
});

test("a bad token is Unauthorized; an untrusted certificate and a closed port are ConnectionErrors", async () => {
  const envs = Client.fromConfig({ ...client.transport.config, token: "not-a-jwt" }).resource<Environment>(
    environmentKind,
  );
  await assert.rejects(envs.list({ namespace: "shop" }), isUnauthorized);
  const untrusted = Client.fromConfig({ server: env.server.url, token: env.adminToken });
  await assert.rejects(
    untrusted.resource(environmentKind).list(),
    (e) => e instanceof ConnectionError && e.failure === "tls",
  );
  const closed = Client.fromConfig({ server: "https://127.0.0.1:1", token: env.adminToken });
  await assert.rejects(
    closed.resource(environmentKind).list(),
    (e) => e instanceof ConnectionError && e.message === "cannot reach https://127.0.0.1:1: connection refused",
  );
});

test("client.for looks kinds up by name", async () => {
  const list = await client.for<Environment>("Environment").list({ namespace: "shop" });
  assert.ok(list.items.length > 0);
  assert.throws(() => client.for("Nope"), TypeError);
});
