// The target reconciler over a real DriverPool with a test-double DriverPlugin ("fake"), an
// in-memory Target store standing in for the informer cache and the status subresource.
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { notFound } from "../../crds/errors.ts";
import type { Secret } from "../../crds/secret.ts";
import type { Target } from "../../crds/target.ts";
import {
  DriverError,
  DriverReasons,
  type Driver,
  type DriverContext,
  type DriverPlugin,
  type ObservedUnit,
  type PlatformInfo,
} from "../../sdk/plugins/driver.ts";
import { DriverPool } from "../drivers/index.ts";
import { silentLogger } from "../runtime/index.ts";
import { TargetReconciler } from "./reconciler.ts";

/** Test double: a plugin named "docker" whose drivers answer from `backend`. */
class FakeBackend {
  platform: PlatformInfo = { name: "Docker Engine", version: "20.10.24", os: "linux", arch: "amd64" };
  units: ObservedUnit[] = [];
  failure?: Error;
  hang = false;
  created: string[] = [];
  closed: string[] = [];
  secrets: string[] = [];

  plugin(): DriverPlugin {
    return {
      name: "docker",
      create: async (target: Target, ctx: DriverContext): Promise<Driver> => {
        const id = `${target.metadata.name}@${target.metadata.generation}`;
        if (target.spec.docker?.tlsSecretRef)
          this.secrets.push(await ctx.secretValue({ name: target.spec.docker.tlsSecretRef.name, key: "ca.crt" }));
        this.created.push(id);
        const answer = async <T>(value: () => T, signal?: AbortSignal): Promise<T> => {
          if (this.hang)
            return new Promise<T>((_, reject) =>
              signal?.addEventListener("abort", () =>
                reject(new DriverError(DriverReasons.Unreachable, "aborted", true)),
              ),
            );
          if (this.failure) throw this.failure;
          return value();
        };
        return {
          name: "docker",
          probe: (signal) => answer(() => this.platform, signal),
          observe: (filter, signal) =>
            answer(
              () =>
                this.units.filter(
                  (u) =>
                    (!filter?.namespace || u.namespace === filter.namespace) &&
                    (!filter?.target || u.target === filter.target),
                ),
              signal,
            ),
          render: () => [],
          apply: async () => [],
          remove: async () => {},
          check: async () => ({ healthy: true, message: "" }),
          close: async () => void this.closed.push(id),
        };
      },
    };
  }
}

const unit = (name: string, namespace = "ns"): ObservedUnit => ({
  id: `id-${name}`,
  name,
  namespace,
  target: "t1",
  environment: "dev",
  release: "r1",
  deployment: "d1",
  component: name,
  slot: "blue",
  imageRef: "reg/web@sha256:" + "a".repeat(64),
  state: "running",
  running: true,
  ports: [],
});

function target(name: string, spec: Partial<Target["spec"]> = {}, generation = 1): Target {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name, namespace: "ns", uid: `uid-${name}`, generation },
    spec: { driver: "docker", docker: {}, ...spec } as Target["spec"],
  };
}

describe("TargetReconciler", () => {
  let backend: FakeBackend;
  let store: Map<string, Target>;
  let writes: Target[];
  let secretStore: Map<string, Secret>;
  let reconciler: TargetReconciler;
  let pool: DriverPool;
  const interval = 60_000;

  beforeEach(() => {
    backend = new FakeBackend();
    store = new Map();
    writes = [];
    secretStore = new Map();
    const secrets = {
      get: async (name: string) =>
        secretStore.get(name) ?? Promise.reject(notFound({ group: "", kind: "Secret", plural: "secrets", name })),
    };
    pool = new DriverPool([backend.plugin()], secrets);
    reconciler = new TargetReconciler({
      get: (_ns, name) => store.get(name),
      targets: {
        updateStatus: async (t: Target) => {
          writes.push(t);
          store.set(t.metadata.name!, t);
          return t;
        },
      },
      drivers: pool,
      probeInterval: interval,
      probeTimeout: 200,
      log: silentLogger,
    });
  });

  const put = (t: Target) => store.set(t.metadata.name!, { ...t, status: store.get(t.metadata.name!)?.status });
  const ready = (name: string) => store.get(name)?.status?.conditions?.find((c) => c.type === "Ready");

  it("reports a reachable target with its platform and units, then re-probes without rewriting", async () => {
    backend.units = [unit("web"), unit("other", "elsewhere"), { ...unit("api"), target: "t2" }];
    put(target("t1"));
    const r = await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.deepEqual(
      [ready("t1")?.status, ready("t1")?.reason, ready("t1")?.message],
      ["True", "Reachable", "Docker Engine 20.10.24 linux/amd64"],
    );
    assert.deepEqual(
      store.get("t1")?.status?.units?.map((u) => u.component),
      ["web"],
      "only the units of this target (namespace and name)",
    );
    assert.ok(r && r.requeueAfter! > 0 && r.requeueAfter! <= interval);

    const again = await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.equal(writes.length, 1, "a probe with nothing new is not written within the interval");
    assert.ok(again && again.requeueAfter! <= interval);
    backend.units.push(unit("worker"));
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.equal(writes.length, 2, "a new unit is written at once");
    assert.deepEqual(backend.created, ["t1@1"], "one binding reused across probes");
  });

  it("writes lastProbeTime again once it is an interval old", async () => {
    put(target("t1"));
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    const old = store.get("t1")!;
    const stale = new Date(Date.now() - interval).toISOString();
    store.set("t1", { ...old, status: { ...old.status, lastProbeTime: stale } });
    const r = await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.equal(writes.length, 2);
    assert.notEqual(store.get("t1")?.status?.lastProbeTime, stale);
    assert.ok(r && r.requeueAfter! > interval / 2);
  });

  it("says DriverNotFound for a driver not in the plugin list", async () => {
    put(
      target("s1", {
        driver: "ssh",
        docker: undefined,
        ssh: { host: "h", hostKey: "ssh-ed25519 AAAA", privateKeySecretRef: { name: "k", key: "id" } },
      }),
    );
    await reconciler.reconcile({ namespace: "ns", name: "s1" });
    assert.equal(ready("s1")?.status, "False");
    assert.equal(ready("s1")?.reason, "DriverNotFound");
    assert.match(ready("s1")?.message ?? "", /driver ssh is not available in this build/);
  });

  it("says Unreachable with the driver's message, and recovers when the backend answers", async () => {
    put(target("t1"));
    backend.failure = new DriverError(DriverReasons.Unreachable, "connect ENOENT /nope.sock", true);
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.deepEqual(
      [ready("t1")?.status, ready("t1")?.reason, ready("t1")?.message],
      ["False", "Unreachable", "connect ENOENT /nope.sock"],
    );
    assert.equal(store.get("t1")?.status?.platform, undefined);
    backend.failure = undefined;
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.equal(ready("t1")?.status, "True");
  });

  it("times out a driver that does not answer", async () => {
    put(target("t1"));
    backend.hang = true;
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.equal(ready("t1")?.reason, "Unreachable");
  });

  it("reports a plugin's non-DriverError as ProbeFailed", async () => {
    put(target("t1"));
    backend.failure = new TypeError("boom");
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.deepEqual([ready("t1")?.reason, ready("t1")?.message], ["ProbeFailed", "boom"]);
  });

  it("rebinds on a new generation, closing the old driver, and closes it when the target goes", async () => {
    put(target("t1"));
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    put(target("t1", { docker: { socket: "/other.sock" } }, 2));
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.deepEqual(backend.created, ["t1@1", "t1@2"]);
    assert.deepEqual(backend.closed, ["t1@1"]);
    assert.equal(store.get("t1")?.status?.observedGeneration, 2);
    store.delete("t1");
    assert.equal(await reconciler.reconcile({ namespace: "ns", name: "t1" }), undefined);
    assert.deepEqual(backend.closed, ["t1@1", "t1@2"]);
  });

  it("hands the plugin Secret values through the DriverContext; a missing Secret is SecretNotFound", async () => {
    put(target("t1", { docker: { host: "tcp://127.0.0.1:2376", tlsSecretRef: { name: "tls" } } }));
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.equal(ready("t1")?.reason, "SecretNotFound");
    assert.doesNotMatch(JSON.stringify(store.get("t1")?.status), /BEGIN CERT/);
    secretStore.set("tls", {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Secret",
      metadata: { name: "tls", namespace: "ns" },
      data: { "ca.crt": Buffer.from("-----BEGIN CERT-----").toString("base64") },
    });
    await reconciler.reconcile({ namespace: "ns", name: "t1" });
    assert.equal(ready("t1")?.status, "True");
    assert.deepEqual(backend.secrets, ["-----BEGIN CERT-----"]);
    assert.doesNotMatch(JSON.stringify(store.get("t1")?.status), /BEGIN CERT/);
  });
});
