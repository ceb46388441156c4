import { test } from "node:test";
import assert from "node:assert/strict";
import type { Deployment, DeploymentSpec, DeploymentStatus } from "../../crds/deployment.ts";
import { allLines, changedLines, settled, statusView } from "./status-view.ts";

const deployment = (status?: DeploymentStatus, spec: Partial<DeploymentSpec> = {}): Deployment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "shop-1-4-0-dev", namespace: "shop" },
  spec: { release: "shop-1-4-0", environment: "dev", strategy: { type: "Rolling", maxParallel: 1 }, ...spec },
  ...(status ? { status } : {}),
});

const progressing: DeploymentStatus = {
  phase: "Progressing",
  strategy: { type: "Rolling", maxParallel: 1 },
  totalTargets: 2,
  healthyTargets: 1,
  progress: "1/2",
  targets: [
    { name: "docker-1", phase: "Succeeded", batch: 0, units: [{ component: "web", healthy: true }] },
    {
      name: "docker-2",
      phase: "Progressing",
      batch: 1,
      units: [{ component: "web" }],
      message: "waiting for /healthz",
    },
  ],
};

test("a deployment the controller has not picked up yet", () => {
  assert.deepEqual(allLines(statusView(deployment())), [
    'deployment "shop-1-4-0-dev": release shop-1-4-0 into environment dev, strategy Rolling',
    "Pending: not started yet",
  ]);
});

test("phase, progress and one line per target", () => {
  assert.deepEqual(allLines(statusView(deployment(progressing))), [
    'deployment "shop-1-4-0-dev": release shop-1-4-0 into environment dev, strategy Rolling',
    "Progressing: 1/2 targets healthy",
    "  docker-1: Succeeded [web healthy]",
    "  docker-2: Progressing (batch 1) [web starting] — waiting for /healthz",
  ]);
  const queued = statusView(deployment({ phase: "Pending", waitingFor: "shop-1-3-0-dev" }, { paused: true }));
  assert.equal(
    queued.summary,
    "Pending: waiting for deployment shop-1-3-0-dev to release the environment, pause requested",
  );
});

test("settled only in a terminal phase without a pending retry; the verdict says how it ended", () => {
  const ok = statusView(deployment({ ...progressing, phase: "Succeeded", healthyTargets: 2, progress: "2/2" }));
  assert.deepEqual(ok.verdict, { line: 'deployment "shop-1-4-0-dev" successfully rolled out', succeeded: true });
  const back = deployment({
    phase: "RolledBack",
    message: "docker-2: web unhealthy",
    rollback: { release: "shop-1-3-0", reason: "health check failed on docker-2" },
  });
  assert.deepEqual(statusView(back).verdict, {
    line: 'deployment "shop-1-4-0-dev" was rolled back to release shop-1-3-0: health check failed on docker-2',
    succeeded: false,
  });
  assert.equal(
    settled(deployment({ phase: "Failed", observedRetry: 0 }, { retry: 1 })),
    false,
    "a retry the controller has not seen yet",
  );
  assert.equal(settled(deployment({ phase: "Failed", observedRetry: 1 }, { retry: 1 })), true);
  assert.equal(settled(deployment(progressing)), false);
});

test("in watch mode only what changed is printed", () => {
  const before = statusView(deployment(progressing));
  const after = statusView(
    deployment({
      ...progressing,
      phase: "Succeeded",
      healthyTargets: 2,
      progress: "2/2",
      targets: [
        progressing.targets![0],
        {
          ...progressing.targets![1],
          phase: "Succeeded",
          message: undefined,
          units: [{ component: "web", healthy: true }],
        },
      ],
    }),
  );
  assert.deepEqual(changedLines(before, after), [
    "Succeeded: 2/2 targets healthy",
    "  docker-2: Succeeded (batch 1) [web healthy]",
    'deployment "shop-1-4-0-dev" successfully rolled out',
  ]);
  assert.deepEqual(changedLines(after, after), []);
});
