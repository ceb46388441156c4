// The reconciler against the fake registry and in-memory API: what it writes, when it writes
// nothing, and when it asks the registry (never for pinned images or a resolved release).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Release } from "../../crds/release.ts";
import { notFound } from "../../crds/errors.ts";
import { silentLogger } from "../runtime/index.ts";
import { FakeRegistry } from "../oci/testing/registry.ts";
import { DOCKER_MANIFEST, RegistryClient } from "../oci/index.ts";
import { ReleaseReconciler } from "./reconciler.ts";
import { RetrySchedule } from "./retry.ts";

const PINNED = `sha256:${"c".repeat(64)}`;

/** One Release in memory, with the calls the reconciler makes. */
class World {
  release?: Release;
  writes = 0;
  readonly reconciler: ReleaseReconciler;
  constructor(registry: RegistryClient) {
    this.reconciler = new ReleaseReconciler({
      get: () => this.release && structuredClone(this.release),
      releases: { updateStatus: async (r) => (this.writes++, (this.release = structuredClone(r))) },
      secrets: {
        get: async (name) =>
          Promise.reject(notFound({ group: "release.stella.io", kind: "Secret", plural: "secrets", name })),
      },
      registry,
      verifiers: new Map(),
      retry: new RetrySchedule({ transient: { initialMs: 10, jitter: 0 }, slow: { initialMs: 1000, jitter: 0 } }),
      log: silentLogger,
    });
  }
  reconcile() {
    return this.reconciler.reconcile({ namespace: "shop", name: "r" });
  }
  condition(type: string) {
    return this.release?.status?.conditions?.find((c) => c.type === type);
  }
}

const release = (images: Record<string, string>): Release => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Release",
  metadata: { name: "r", namespace: "shop", generation: 1, resourceVersion: "1" },
  spec: { version: "1", components: Object.entries(images).map(([name, image]) => ({ name, image })) },
});

describe("ReleaseReconciler", () => {
  let fake: FakeRegistry;
  let world: World;
  let webDigest: string;
  before(async () => {
    fake = await FakeRegistry.start();
    webDigest = fake.putManifest(
      "shop/web",
      ["1.4.0"],
      { schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: {}, layers: [] },
      DOCKER_MANIFEST,
    );
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.options = {};
    fake.requests.length = 0;
    world = new World(new RegistryClient({ timeoutMs: 2000 }));
  });

  it("resolves pinned images without a single registry request", async () => {
    world.release = release({ web: `${fake.host}/shop/web@${PINNED}` });
    assert.equal(await world.reconcile(), undefined);
    assert.equal(fake.requests.length, 0);
    assert.equal(world.condition("Resolved")?.status, "True");
    assert.deepEqual(
      world.release.status?.components?.map((c) => c.imageRef),
      [`${fake.host}/shop/web@${PINNED}`],
    );
    assert.equal(world.release.status?.phase, "Resolved");
    assert.equal(world.release.status?.observedGeneration, 1);
  });

  it("keeps a digest once found while another component fails, and never asks for it again", async () => {
    world.release = release({ web: `${fake.host}/shop/web:1.4.0`, worker: `${fake.host}/shop/worker:1.4.0` });
    const first = await world.reconcile();
    assert.ok(first && first.requeueAfter! >= 1000, "a missing tag is retried slowly");
    assert.equal(world.condition("Resolved")?.reason, "ManifestNotFound");
    assert.match(world.condition("Resolved")?.message ?? "", /component worker \(.*shop\/worker:1\.4\.0\)/);
    assert.equal(world.release.status?.phase, "Failed");
    assert.deepEqual(
      world.release.status?.components?.map((c) => [c.name, c.digest]),
      [["web", webDigest]],
    );

    fake.requests.length = 0;
    const writes = world.writes;
    await world.reconcile();
    assert.equal(world.writes, writes, "an unchanged outcome writes nothing");
    assert.ok(
      fake.requests.every((r) => r.path.includes("shop/worker")),
      "web is not asked again",
    );

    fake.putManifest(
      "shop/worker",
      ["1.4.0"],
      { schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: { x: 1 }, layers: [] },
      DOCKER_MANIFEST,
    );
    assert.equal(await world.reconcile(), undefined);
    assert.equal(world.condition("Resolved")?.status, "True");
    assert.equal(world.condition("Ready")?.status, "True");

    fake.requests.length = 0;
    await world.reconcile();
    assert.equal(fake.requests.length, 0, "a resolved release never contacts the registry");
  });

  it("retries an unreachable registry on the transient schedule, with phase Resolving", async () => {
    fake.options = { failStatus: 503 };
    world.release = release({ web: `${fake.host}/shop/web:1.4.0` });
    const r = await world.reconcile();
    assert.equal(r?.requeueAfter, 10);
    assert.equal(world.condition("Resolved")?.reason, "RegistryError");
    assert.equal(world.release.status?.phase, "Resolving");
    assert.equal((await world.reconcile())?.requeueAfter, 20, "backoff doubles");
  });

  it("reports a required signature it cannot check yet, and a missing plugin once resolved", async () => {
    world.release = release({ web: `${fake.host}/shop/web@${PINNED}` });
    world.release.spec.verification = { publicKeySecretRef: { name: "key" } };
    await world.reconcile();
    assert.equal(world.condition("Verified")?.reason, "PluginNotFound");
    assert.equal(world.condition("Ready")?.reason, "NotVerified");
  });
});
