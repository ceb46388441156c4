import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import type { Target } from "../../crds/target.ts";
import { activeDeployment, environmentStatus, sameStatus } from "./status.ts";

const env = (status?: Environment["status"]): Environment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name: "dev", namespace: "shop", generation: 3 },
  spec: { targetSelector: { matchLabels: { env: "dev" } } },
  status,
});

function target(
  name: string,
  ready?: { status: "True" | "False"; reason: string },
  driver: "docker" | "ssh" = "docker",
): Target {
  const conditions = ready ? [{ type: "Ready", ...ready, message: "m" }] : undefined;
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name, namespace: "shop" },
    spec: { driver, [driver]: {} } as Target["spec"],
    status: conditions && { conditions },
  };
}
const up = (name: string) => target(name, { status: "True", reason: "Reachable" });

function deployment(name: string, release: string, status: DeploymentStatus): Deployment {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name, namespace: "shop" },
    spec: { release, environment: "dev" },
    status,
  };
}

const cond = (s: Environment["status"], type: string) => s?.conditions?.find((c) => c.type === type);

describe("environmentStatus", () => {
  it("is Pending with Ready=False NoTargets when the selector matches nothing", () => {
    const s = environmentStatus(env(), [], [], "t1");
    assert.equal(s.phase, "Pending");
    assert.deepEqual([s.ready, s.readyTargets, s.totalTargets, s.targets], ["0/0", 0, 0, undefined]);
    assert.deepEqual([cond(s, "Ready")?.status, cond(s, "Ready")?.reason], ["False", "NoTargets"]);
    assert.equal(s.observedGeneration, 3);
  });

  it("is Ready when every target is", () => {
    const s = environmentStatus(env(), [up("b"), up("a")], [], "t1");
    assert.equal(s.phase, "Ready");
    assert.deepEqual(s.targets, [
      { name: "a", driver: "docker", ready: true },
      { name: "b", driver: "docker", ready: true },
    ]);
    assert.deepEqual(
      [cond(s, "Ready")?.status, cond(s, "Ready")?.reason, cond(s, "Ready")?.message],
      ["True", "TargetsReady", "2/2 targets ready"],
    );
    assert.deepEqual([cond(s, "Progressing")?.status, cond(s, "Progressing")?.reason], ["False", "Idle"]);
  });

  it("is Degraded naming the unready targets and why", () => {
    const s = environmentStatus(
      env(),
      [up("a"), target("c"), target("b", { status: "False", reason: "DriverNotFound" }, "ssh")],
      [],
      "t1",
    );
    assert.equal(s.phase, "Degraded");
    assert.equal(s.ready, "1/3");
    assert.equal(cond(s, "Ready")?.message, "1/3 targets ready; not ready: b (DriverNotFound), c (not probed yet)");
    assert.deepEqual(s.targets?.[1], { name: "b", driver: "ssh", ready: false });
  });

  it("counts cordoned targets apart, as kubectl counts cordoned nodes", () => {
    const cordon = (t: Target): Target => ({ ...t, spec: { ...t.spec, unschedulable: true } });
    const s = environmentStatus(
      env(),
      [up("a"), cordon(target("b", { status: "False", reason: "DriverNotFound" })), cordon(up("c"))],
      [],
      "t1",
    );
    assert.equal(s.phase, "Ready");
    assert.deepEqual([s.ready, s.readyTargets, s.totalTargets, s.cordonedTargets], ["1/1 +2 cordoned", 1, 3, 2]);
    assert.equal(cond(s, "Ready")?.message, "1/1 targets ready; cordoned: b, c");
    assert.deepEqual(s.targets?.[1], { name: "b", driver: "docker", ready: false, cordoned: true });
    const all = environmentStatus(env(), [cordon(up("a"))], [], "t1");
    assert.equal(all.phase, "Degraded");
    assert.deepEqual([cond(all, "Ready")?.status, cond(all, "Ready")?.reason], ["False", "AllTargetsCordoned"]);
    assert.equal(all.ready, "0/0 +1 cordoned");
  });

  it("is Progressing while a deployment runs, naming the active one", () => {
    const deployments = [
      deployment("d1", "r1", { phase: "Succeeded", completedAt: "2025-01-01T10:00:00Z" }),
      deployment("d3", "r3", {}),
      deployment("d2", "r2", { phase: "Paused", startedAt: "2025-01-01T11:00:00Z" }),
    ];
    const s = environmentStatus(
      env(),
      [up("a"), target("b", { status: "False", reason: "Unreachable" })],
      deployments,
      "t1",
    );
    assert.equal(s.phase, "Progressing");
    assert.equal(s.activeDeployment, "d2");
    assert.deepEqual(
      [cond(s, "Progressing")?.status, cond(s, "Progressing")?.message],
      ["True", "deployment d2 (release r2) is Paused"],
    );
    assert.equal(s.current?.release, "r1");
    const queuedOnly = environmentStatus(env(), [up("a")], [deployment("d3", "r3", { phase: "Pending" })], "t1");
    assert.equal(queuedOnly.phase, "Progressing");
    assert.equal(queuedOnly.activeDeployment, undefined);
  });

  it("fills current, previous and history and drops them from a stale status", () => {
    const deployments = [
      deployment("d1", "r1", { phase: "Succeeded", completedAt: "2025-01-01T10:00:00Z" }),
      deployment("d2", "r2", { phase: "Succeeded", completedAt: "2025-01-01T11:00:00Z" }),
    ];
    const s = environmentStatus(env(), [up("a")], deployments, "t1");
    assert.deepEqual([s.current?.release, s.previous?.release, s.history?.length], ["r2", "r1", 2]);
    const gone = environmentStatus(env(s), [up("a")], [], "t2");
    assert.deepEqual([gone.current, gone.previous, gone.history], [undefined, undefined, undefined]);
  });

  it("keeps what it does not own and is stable when nothing changed", () => {
    const old = {
      frozenUntil: "2025-01-03T08:00:00Z",
      conditions: [{ type: "Frozen", status: "True" as const, reason: "FreezeWindow", lastTransitionTime: "t0" }],
    };
    const s = environmentStatus(env(old), [up("a")], [], "t1");
    assert.equal(s.frozenUntil, old.frozenUntil);
    assert.deepEqual(cond(s, "Frozen"), old.conditions[0]);
    const again = environmentStatus(env(s), [up("a")], [], "t2");
    assert.ok(sameStatus(again, s), "a second pass with the same inputs changes nothing, timestamps included");
  });
});

describe("activeDeployment", () => {
  it("is the earliest started Progressing or Paused deployment", () => {
    const ds = [
      deployment("late", "r", { phase: "Progressing", startedAt: "2025-01-01T12:00:00Z" }),
      deployment("early", "r", { phase: "Progressing", startedAt: "2025-01-01T11:00:00Z" }),
      deployment("queued", "r", { phase: "Pending" }),
    ];
    assert.equal(activeDeployment(ds)?.metadata.name, "early");
    assert.equal(activeDeployment([ds[2]]), undefined);
  });
});
