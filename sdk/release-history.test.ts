import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Canary } from "../crds/canary.ts";
import type { Deployment, DeploymentStatus } from "../crds/deployment.ts";
import { HISTORY_LIMIT, releaseHistory } from "./release-history.ts";

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString();

function deployment(
  name: string,
  release: string,
  status: DeploymentStatus,
  spec: Partial<Deployment["spec"]> = {},
): Deployment {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name, namespace: "shop", creationTimestamp: at(0) },
    spec: { release, environment: "dev", ...spec },
    status,
  };
}
const succeeded = (name: string, release: string, minute: number, spec: Partial<Deployment["spec"]> = {}) =>
  deployment(name, release, { phase: "Succeeded", completedAt: at(minute) }, spec);

describe("releaseHistory", () => {
  it("is empty without landed deployments", () => {
    const running = deployment("d1", "r1", { phase: "Progressing", startedAt: at(1) });
    const failed = deployment("d2", "r2", { phase: "Failed", completedAt: at(2) });
    const superseded = deployment("d3", "r3", { phase: "Superseded" });
    assert.deepEqual(releaseHistory([running, failed, superseded]), {
      current: undefined,
      previous: undefined,
      history: [],
    });
  });

  it("orders by landing time whatever the input order, newest first, with replacedAt", () => {
    const h = releaseHistory([
      succeeded("d3", "r3", 30, { promotion: "p3" }),
      succeeded("d1", "r1", 10),
      succeeded("d2", "r2", 20),
    ]);
    assert.deepEqual(h.history, [
      { release: "r3", deployment: "d3", promotion: "p3", deployedAt: at(30) },
      { release: "r2", deployment: "d2", deployedAt: at(20), replacedAt: at(30) },
      { release: "r1", deployment: "d1", deployedAt: at(10), replacedAt: at(20) },
    ]);
    assert.equal(h.current?.release, "r3");
    assert.equal(h.previous?.release, "r2");
  });

  it("lands the rollback release of a RolledBack deployment, not its own", () => {
    const rolledBack = deployment("d2", "r2", {
      phase: "RolledBack",
      completedAt: at(25),
      rollback: { release: "r1", reason: "HealthCheckFailed", startedAt: at(21), completedAt: at(24) },
    });
    const h = releaseHistory([succeeded("d1", "r1", 10), rolledBack]);
    assert.deepEqual(h.current, { release: "r1", deployment: "d2", deployedAt: at(24), rollback: true });
    // r1 landing again does not replace r1, and r2 never landed: there is no earlier other release.
    assert.deepEqual(h.history[1], { release: "r1", deployment: "d1", deployedAt: at(10) });
    assert.equal(h.previous, undefined);
  });

  it("lands the rollback of an Aborted deployment once it completed, and not before", () => {
    const aborting = deployment("d3", "r3", { phase: "Aborted", rollback: { release: "r2", startedAt: at(31) } });
    const base = [succeeded("d1", "r1", 10), succeeded("d2", "r2", 20)];
    assert.equal(releaseHistory([...base, aborting]).history.length, 2);
    const aborted = deployment("d3", "r3", {
      phase: "Aborted",
      rollback: { release: "r2", startedAt: at(31), completedAt: at(32) },
    });
    const h = releaseHistory([...base, aborted]);
    assert.deepEqual(h.current, { release: "r2", deployment: "d3", deployedAt: at(32), rollback: true });
    assert.equal(h.previous?.release, "r1");
  });

  it("previous skips records of the current release", () => {
    const h = releaseHistory([
      succeeded("d1", "r1", 10),
      succeeded("d2", "r2", 20),
      succeeded("d3", "r2", 30, { rollback: true }),
    ]);
    assert.deepEqual(h.current, { release: "r2", deployment: "d3", deployedAt: at(30), rollback: true });
    assert.deepEqual(h.previous, { release: "r1", deployment: "d1", deployedAt: at(10), replacedAt: at(20) });
    assert.equal(h.history[1].replacedAt, undefined, "r2 landing again does not replace r2");
  });

  it("inherits replacedAt across repeated landings of one release", () => {
    const h = releaseHistory([succeeded("d1", "r1", 10), succeeded("d2", "r1", 20), succeeded("d3", "r2", 30)]);
    assert.deepEqual(
      h.history.map((r) => [r.deployment, r.replacedAt]),
      [
        ["d3", undefined],
        ["d2", at(30)],
        ["d1", at(30)],
      ],
    );
  });

  it("breaks ties in landing time by creation, then name", () => {
    const a = { ...succeeded("b", "rb", 10), metadata: { name: "b", namespace: "shop", creationTimestamp: at(1) } };
    const b = { ...succeeded("a", "ra", 10), metadata: { name: "a", namespace: "shop", creationTimestamp: at(2) } };
    const c = { ...succeeded("c", "rc", 10), metadata: { name: "c", namespace: "shop", creationTimestamp: at(2) } };
    assert.deepEqual(
      releaseHistory([c, b, a]).history.map((r) => r.deployment),
      ["c", "a", "b"],
    );
  });

  it("bounds history but still finds previous beyond the bound", () => {
    const deployments = [succeeded("old", "r-old", 0)];
    for (let i = 1; i <= HISTORY_LIMIT + 5; i++) deployments.push(succeeded(`d${i}`, "r-new", i));
    const h = releaseHistory(deployments);
    assert.equal(h.history.length, HISTORY_LIMIT);
    assert.equal(h.history[0].deployment, `d${HISTORY_LIMIT + 5}`);
    assert.equal(h.previous?.deployment, "old");
  });

  it("ignores landings without a usable time", () => {
    const noTime = deployment("d1", "r1", { phase: "Succeeded" });
    const badTime = deployment("d2", "r2", { phase: "Succeeded", completedAt: "yesterday" });
    assert.deepEqual(releaseHistory([noTime, badTime]).history, []);
  });

  it("a standalone canary's success lands its release, one component moved; a Deployment's own canary does not", () => {
    const canary = (name: string, release: string, minute: number, owned = false): Canary =>
      ({
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Canary",
        metadata: {
          name,
          namespace: "shop",
          creationTimestamp: at(0),
          ...(owned
            ? { ownerReferences: [{ apiVersion: "v1", kind: "Deployment", name, uid: "u1", controller: true }] }
            : {}),
        },
        spec: { release, environment: "dev", component: "web", router: { plugin: "haproxy" }, steps: [] },
        status: { phase: "Succeeded", completedAt: at(minute) },
      }) as Canary;
    const aborted = { ...canary("c0", "r9", 40), status: { phase: "Aborted" as const, completedAt: at(40) } };
    const h = releaseHistory(
      [succeeded("d1", "r1", 10), succeeded("d2", "r2", 30)],
      [canary("c1", "r3", 20), canary("d2", "r2", 30, true), aborted],
    );
    assert.deepEqual(h.current, { release: "r2", deployment: "d2", deployedAt: at(30) });
    assert.deepEqual(h.previous, {
      release: "r3",
      canary: "c1",
      component: "web",
      deployedAt: at(20),
      replacedAt: at(30),
    });
    assert.deepEqual(
      h.history.map((r) => r.release),
      ["r2", "r3", "r1"],
      "the deployment's own canary is not a second landing",
    );
  });
});
