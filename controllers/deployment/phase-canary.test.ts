// The Canary strategy's follow phase over an in-memory store of Canaries that answers create the
// way the API does (AlreadyExists for a name taken): what it creates, how a restart finds the
// Canary, and how each canary phase maps onto the deployment.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Canary, CanarySpec, CanaryStatus } from "../../crds/canary.ts";
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import type { CanaryStrategy } from "../../crds/deployment-strategy.ts";
import { alreadyExists } from "../../crds/errors.ts";
import type { CanaryClient } from "./deps.ts";
import { followCanary } from "./phase-canary.ts";

const NOW = Date.parse("2026-12-06T12:00:00Z");
const plan: CanaryStrategy = {
  component: "web",
  router: { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:9999", backend: "web" } },
  steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }],
  scaleDownDelay: "5s",
};
const deployment = (spec: Partial<Deployment["spec"]> = {}): Deployment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "prod-1-5-0", namespace: "shop", uid: "uid-d" },
  spec: { release: "shop-1-5-0", environment: "prod", ...spec },
});
const started: DeploymentStatus = {
  phase: "Progressing",
  strategy: { type: "Canary", canary: plan },
  previousRelease: "shop-1-4-0",
  targets: [{ name: "prod-docker", phase: "Pending" }],
};

/** Canaries by name, as the API would keep them; records every create and spec patch. */
class Store implements CanaryClient {
  readonly objects = new Map<string, Canary>();
  readonly creates: Canary[] = [];
  readonly patches: Partial<CanarySpec>[] = [];
  constructor(private readonly cache = true) {}
  cached = (_ns: string, name: string) => (this.cache ? this.objects.get(name) : undefined);
  inEnvironment = (_ns: string, env: string) => [...this.objects.values()].filter((c) => c.spec.environment === env);
  create = async (c: Canary) => {
    this.creates.push(c);
    const name = c.metadata.name ?? "";
    if (this.objects.has(name)) throw alreadyExists({ group: "release.stella.io", kind: "Canary", plural: "canaries" });
    this.objects.set(name, c);
    return c;
  };
  read = async (_ns: string, name: string) => this.objects.get(name);
  patchSpec = async (_ns: string, name: string, spec: Partial<CanarySpec>) => {
    this.patches.push(spec);
    const c = this.objects.get(name)!;
    this.objects.set(name, { ...c, spec: { ...c.spec, ...spec } });
  };
  /** Sets the canary's status as its controller would. */
  set(name: string, status: CanaryStatus) {
    const c = this.objects.get(name)!;
    this.objects.set(name, { ...c, status });
  }
}

const follow = (store: Store, status = started, d = deployment()) =>
  followCanary({ canaries: store }, d, status, NOW).then((r) => r.status);

test("the first pass creates a Canary named after the deployment, owned and labelled by it, from stable", async () => {
  const store = new Store();
  const status = await follow(store);
  assert.equal(store.creates.length, 1);
  const [c] = store.creates;
  assert.equal(c.metadata.name, "prod-1-5-0");
  assert.equal(c.metadata.namespace, "shop");
  assert.equal(c.metadata.labels?.["stella.io/deployment"], "prod-1-5-0");
  assert.deepEqual(
    c.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
    [["Deployment", "prod-1-5-0", "uid-d", true]],
  );
  assert.deepEqual(c.spec, { release: "shop-1-5-0", environment: "prod", stableRelease: "shop-1-4-0", ...plan });
  assert.equal(status.canary, "prod-1-5-0");
  assert.equal(status.phase, "Progressing");
  assert.match(status.message ?? "", /waiting for the canary controller/);
  assert.equal(status.targets?.[0].phase, "Progressing");
});

test("a restarted controller whose create meets AlreadyExists follows the Canary that is there", async () => {
  const first = new Store(false);
  await follow(first);
  first.set("prod-1-5-0", { phase: "Paused", currentStepIndex: 1, currentWeight: 20, message: "waiting for promote" });
  const status = await follow(first);
  assert.equal(first.creates.length, 2, "the second create was refused");
  assert.equal(first.objects.size, 1);
  assert.equal(status.message, "canary prod-1-5-0: paused at step 2/3, weight 20%: waiting for promote");
  assert.equal(status.phase, "Progressing");
  // Once status names the canary, a pass that misses it in the cache reads it rather than creating.
  const again = await follow(first, status);
  assert.equal(first.creates.length, 2);
  assert.equal(again.message, status.message);
});

test("a canary that succeeded ends the deployment Succeeded; every target took the release", async () => {
  const store = new Store();
  const running = await follow(store);
  store.set("prod-1-5-0", { phase: "Succeeded", currentWeight: 100, message: "all steps done" });
  const done = await follow(store, running);
  assert.equal(done.phase, "Succeeded");
  assert.ok(done.completedAt);
  assert.equal(done.conditions?.find((c) => c.type === "Complete")?.reason, "CanarySucceeded");
  assert.equal(done.conditions?.find((c) => c.type === "Available")?.status, "True");
  assert.deepEqual(
    done.targets?.map((t) => t.phase),
    ["Succeeded"],
  );
  assert.equal(done.rollback, undefined, "no rollback");
});

test("an aborted canary fails the deployment with the canary's reason, traffic already on stable", async () => {
  const store = new Store();
  const running = await follow(store);
  const complete = { type: "Complete", status: "True" as const, reason: "AnalysisFailed", message: "error-rate" };
  store.set("prod-1-5-0", { phase: "Aborted", message: "error-rate failed", conditions: [complete] });
  const failed = await follow(store, running);
  assert.equal(failed.phase, "Failed");
  assert.equal(failed.conditions?.find((c) => c.type === "Complete")?.reason, "AnalysisFailed");
  assert.match(failed.message ?? "", /canary prod-1-5-0 aborted: error-rate failed; all traffic is back on shop-1-4-0/);
  assert.equal(failed.rollback, undefined, "the deployment does not roll back by itself");
  assert.deepEqual(store.patches, []);
});

test("spec.abort aborts the canary, and the deployment ends Aborted once the canary has", async () => {
  const store = new Store();
  const running = await follow(store);
  store.set("prod-1-5-0", { phase: "Progressing", currentStepIndex: 0, currentWeight: 20 });
  const aborting = await follow(store, running, deployment({ abort: true }));
  assert.deepEqual(store.patches, [{ abort: true }]);
  assert.equal(aborting.phase, "Progressing");
  await follow(store, aborting, deployment({ abort: true }));
  assert.equal(store.patches.length, 1, "abort is set once");
  store.set("prod-1-5-0", { phase: "Aborted", currentWeight: 0, message: "aborted by stella canary abort" });
  const aborted = await follow(store, aborting, deployment({ abort: true }));
  assert.equal(aborted.phase, "Aborted");
  assert.match(aborted.message ?? "", /back on shop-1-4-0/);
});

test("a retried deployment raises its aborted canary's spec.retry and follows it again", async () => {
  const store = new Store();
  await follow(store);
  store.set("prod-1-5-0", { phase: "Aborted", message: "error-rate failed" });
  const retried = await follow(store, { ...started, observedRetry: 1 });
  assert.deepEqual(store.patches, [{ retry: 1 }]);
  assert.equal(retried.phase, "Progressing");
  assert.match(retried.message ?? "", /retry 1/);
});

test("a Canary of the same name that the deployment did not create is not taken over", async () => {
  const other = new Store();
  await follow(other);
  const store = new Store();
  store.objects.set("prod-1-5-0", { ...other.creates[0], metadata: { name: "prod-1-5-0", namespace: "shop" } });
  const status = await follow(store);
  assert.equal(status.phase, "Failed");
  assert.equal(status.conditions?.find((c) => c.type === "Complete")?.reason, "CanaryNameTaken");
  assert.deepEqual(store.patches, []);
});
