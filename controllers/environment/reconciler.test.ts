// The environment reconciler over in-memory caches and a recording status client.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { Deployment } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import type { Target } from "../../crds/target.ts";
import { silentLogger } from "../runtime/index.ts";
import { EnvironmentReconciler } from "./reconciler.ts";

const target = (name: string, labels: Record<string, string>, ready: boolean): Target => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Target",
  metadata: { name, namespace: "shop", labels },
  spec: { driver: "docker", docker: {} },
  status: {
    conditions: [{ type: "Ready", status: ready ? "True" : "False", reason: ready ? "Reachable" : "Unreachable" }],
  },
});

it("selects targets by the selector, deployments by environment, and writes only changes", async () => {
  let env: Environment = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name: "dev", namespace: "shop", generation: 1 },
    spec: { targetSelector: { matchLabels: { env: "dev" } } },
  };
  const targets = [
    target("a", { env: "dev" }, true),
    target("b", { env: "dev" }, false),
    target("c", { env: "prod" }, false),
  ];
  const deployments: Deployment[] = [
    {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Deployment",
      metadata: { name: "d1", namespace: "shop" },
      spec: { release: "r1", environment: "dev" },
      status: { phase: "Succeeded", completedAt: "2025-01-01T10:00:00Z" },
    },
    {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Deployment",
      metadata: { name: "p1", namespace: "shop" },
      spec: { release: "r9", environment: "prod" },
      status: { phase: "Succeeded", completedAt: "2025-01-01T11:00:00Z" },
    },
  ];
  let writes = 0;
  const r = new EnvironmentReconciler({
    getEnvironment: (_ns, name) => (name === "dev" ? env : undefined),
    targets: () => targets,
    deployments: () => deployments,
    environments: { updateStatus: async (e: Environment) => (writes++, (env = e)) },
    log: silentLogger,
  });
  await r.reconcile({ namespace: "shop", name: "dev" });
  assert.deepEqual([env.status?.ready, env.status?.phase, env.status?.current?.release], ["1/2", "Degraded", "r1"]);
  assert.deepEqual(
    env.status?.targets?.map((t) => t.name),
    ["a", "b"],
  );
  await r.reconcile({ namespace: "shop", name: "dev" });
  assert.equal(writes, 1);
  targets[1] = target("b", { env: "dev" }, true);
  await r.reconcile({ namespace: "shop", name: "dev" });
  assert.deepEqual([writes, env.status?.ready, env.status?.phase], [2, "2/2", "Ready"]);
  await r.reconcile({ namespace: "shop", name: "gone" });
  assert.equal(writes, 2);
});
