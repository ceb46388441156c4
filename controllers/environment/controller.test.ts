import assert from "node:assert/strict";
import { it } from "node:test";
import type { Deployment } from "../../crds/deployment.ts";
import type { Target } from "../../crds/target.ts";
import { changedIn, deploymentView, targetView } from "./controller.ts";

it("wakes environments only for what they show of a target or derive from a deployment", () => {
  const t: Target = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: "a", labels: { env: "dev" } },
    spec: { driver: "docker", docker: {} },
    status: {
      lastProbeTime: "t1",
      conditions: [{ type: "Ready", status: "True", reason: "Reachable", lastTransitionTime: "t0" }],
    },
  };
  const target = changedIn(targetView);
  assert.equal(target.update!(t, { ...t, status: { ...t.status, lastProbeTime: "t2" } }), false);
  assert.equal(target.update!(t, { ...t, metadata: { ...t.metadata, labels: { env: "prod" } } }), true);
  assert.equal(
    target.update!(t, { ...t, status: { conditions: [{ type: "Ready", status: "False", reason: "Unreachable" }] } }),
    true,
  );
  // Cordoning (kubectl patch … spec.unschedulable=true) moves the target out of READY into "+N cordoned".
  assert.equal(target.update!(t, { ...t, spec: { ...t.spec, unschedulable: true } }), true);

  const d: Deployment = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { release: "r", environment: "dev" },
    status: { phase: "Progressing", progress: "1/3" },
  };
  const deployment = changedIn(deploymentView);
  assert.equal(deployment.update!(d, { ...d, status: { ...d.status, progress: "2/3" } }), false);
  assert.equal(deployment.update!(d, { ...d, status: { ...d.status, phase: "Succeeded", completedAt: "t3" } }), true);
});
