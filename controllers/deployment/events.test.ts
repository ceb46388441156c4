import { test } from "node:test";
import assert from "node:assert/strict";
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import { deploymentEvents } from "./events.ts";

const d = {
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: { release: "shop-1-6-0", environment: "prod" },
} as Deployment;
const reasons = (before: DeploymentStatus | undefined, after: DeploymentStatus) =>
  deploymentEvents(d, before, after).map((n) => `${n.type} ${n.reason}`);

test("a deployment tells its start, an unhealthy target, the rollback and the end, once each", () => {
  const started: DeploymentStatus = {
    phase: "Progressing",
    strategy: { type: "AllAtOnce" },
    targets: [{ name: "a", phase: "Progressing" }],
  };
  assert.deepEqual(reasons(undefined, started), ["Normal DeploymentStarted"]);
  assert.equal(
    deploymentEvents(d, undefined, started)[0].message,
    "deploying shop-1-6-0 to prod: AllAtOnce on 1 target(s)",
  );
  assert.deepEqual(reasons(started, started), [], "no change, no event");
  const unhealthy: DeploymentStatus = {
    ...started,
    targets: [{ name: "a", phase: "Failed", message: "GET /healthz: 404" }],
    rollback: { release: "shop-1-5-0", reason: "target a unhealthy" },
  };
  assert.deepEqual(reasons(started, unhealthy), ["Warning TargetUnhealthy", "Warning RollingBack"]);
  assert.equal(deploymentEvents(d, started, unhealthy)[0].message, "target a: GET /healthz: 404");
  const rolledBack: DeploymentStatus = { ...unhealthy, phase: "RolledBack", message: "rolled back to shop-1-5-0" };
  assert.deepEqual(reasons(unhealthy, rolledBack), ["Warning RolledBack"]);
  assert.deepEqual(
    reasons(
      { ...started, targets: [{ name: "a", phase: "Succeeded" }] },
      { ...started, phase: "Succeeded", targets: [{ name: "a", phase: "Succeeded" }] },
    ),
    ["Normal DeploymentSucceeded"],
  );
  assert.deepEqual(reasons(started, { ...started, phase: "Failed", message: "progress deadline exceeded" }), [
    "Warning DeploymentFailed",
  ]);
  assert.deepEqual(reasons({ phase: "Failed" }, { phase: "Pending", message: "retry 1 requested" }), [
    "Normal RetryRequested",
  ]);
});

test("a Canary-strategy deployment tells once that it created its canary", () => {
  const strategy = { type: "Canary" as const, canary: { component: "web" } } as DeploymentStatus["strategy"];
  const started: DeploymentStatus = { phase: "Progressing", strategy, previousRelease: "shop-1-5-0" };
  const following: DeploymentStatus = { ...started, canary: "web" };
  assert.deepEqual(reasons(started, following), ["Normal CanaryCreated"]);
  assert.equal(
    deploymentEvents(d, started, following)[0].message,
    "created canary web: web of shop-1-6-0 from shop-1-5-0",
  );
  assert.deepEqual(reasons(following, { ...following, message: "canary web: step 2/3" }), []);
});
