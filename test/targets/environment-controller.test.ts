// The environment controller against the real apiserver, with the target controller probing the
// local Docker Engine: an environment aggregates the readiness of the targets its selector
// matches and follows them as they are fixed, added and deleted; its current, previous and
// history come from its Deployments, whose status the test writes itself through the status
// subresource (no deployment controller runs here).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { dockerOn, readyOf, sshSpec, startTargetsEnv, target, waitFor, type TargetsEnv } from "./targets-env.ts";

const SOCKET = "/var/run/docker.sock";
const MISSING = "/run/stella-test-no-such-dir/docker.sock";
const skip = await estateSkipReason();

let t: TargetsEnv;
before(async () => {
  t = await startTargetsEnv();
});
after(() => t?.stop());

function environment(name: string): Environment {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name, namespace: t.namespace },
    spec: { targetSelector: { matchLabels: { "stella.io/environment": name } } },
  };
}
const get = (name: string) => () => t.environments.get(name, { namespace: t.namespace });
const labelled = (env: string) => ({ "stella.io/environment": env });

async function deployment(name: string, env: string, release: string, status: DeploymentStatus): Promise<void> {
  const d: Deployment = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name, namespace: t.namespace },
    spec: { release, environment: env },
  };
  let current: Deployment;
  try {
    current = await t.deployments.create(d);
  } catch {
    current = await t.deployments.get(name, { namespace: t.namespace });
  }
  await t.deployments.updateStatus({ ...current, status });
}

describe("environment aggregation", () => {
  it("is Pending with Ready=False NoTargets while its selector matches nothing", async () => {
    await t.environments.create(environment("empty"));
    const got = await waitFor(get("empty"), "Pending", (e) => e.status?.phase === "Pending");
    assert.deepEqual(
      [got.status?.ready, got.status?.totalTargets, readyOf(got)?.status, readyOf(got)?.reason],
      ["0/0", 0, "False", "NoTargets"],
    );
    assert.equal(got.status?.observedGeneration, got.metadata.generation);
  });

  it("follows its targets: 1/2 Degraded, fixed 2/2 Ready, a new broken one 2/3, deleted 2/2", { skip }, async () => {
    await t.environments.create(environment("dev"));
    await t.targets.create(target(t.namespace, "dev-good", dockerOn(SOCKET), labelled("dev")));
    await t.targets.create(target(t.namespace, "dev-broken", dockerOn(MISSING), labelled("dev")));
    await t.targets.create(target(t.namespace, "prod-1", sshSpec, labelled("prod")));

    const degraded = await waitFor(
      get("dev"),
      "1/2 Degraded",
      (e) => e.status?.ready === "1/2" && e.status.phase === "Degraded",
    );
    assert.deepEqual(degraded.status?.targets, [
      { name: "dev-broken", driver: "docker", ready: false },
      { name: "dev-good", driver: "docker", ready: true },
    ]);
    assert.deepEqual([readyOf(degraded)?.status, readyOf(degraded)?.reason], ["False", "TargetsNotReady"]);
    assert.match(readyOf(degraded)?.message ?? "", /not ready: dev-broken \(Unreachable\)/);

    await t.targets.patch(
      "dev-broken",
      { spec: { docker: { socket: SOCKET } } },
      { type: "merge", namespace: t.namespace },
    );
    const fixed = await waitFor(
      get("dev"),
      "2/2 Ready",
      (e) => e.status?.ready === "2/2" && e.status.phase === "Ready",
    );
    assert.deepEqual([readyOf(fixed)?.status, readyOf(fixed)?.message], ["True", "2/2 targets ready"]);

    await t.targets.create(target(t.namespace, "dev-ssh", sshSpec, labelled("dev")));
    const three = await waitFor(get("dev"), "2/3 Degraded", (e) => e.status?.ready === "2/3");
    assert.match(readyOf(three)?.message ?? "", /dev-ssh \(SecretNotFound\)/);
    await t.targets.delete("dev-ssh", { namespace: t.namespace });
    await waitFor(
      get("dev"),
      "2/2 Ready after the delete",
      (e) => e.status?.ready === "2/2" && e.status.phase === "Ready",
    );

    await t.targets.patch(
      "dev-good",
      { metadata: { labels: labelled("elsewhere") } },
      { type: "merge", namespace: t.namespace },
    );
    const relabelled = await waitFor(get("dev"), "1/1 after a relabel", (e) => e.status?.ready === "1/1");
    assert.deepEqual(
      relabelled.status?.targets?.map((x) => x.name),
      ["dev-broken"],
    );
  });
});

describe("environment history from its deployments", () => {
  it("derives current, previous, history, the active deployment and the phase", async () => {
    await t.environments.create(environment("hist"));
    await t.targets.create(target(t.namespace, "hist-ssh", sshSpec, labelled("hist")));
    await waitFor(get("hist"), "Degraded (its one target has no driver)", (e) => e.status?.phase === "Degraded");

    await deployment("d1", "hist", "r1", {
      phase: "Succeeded",
      startedAt: "2025-01-01T10:00:00Z",
      completedAt: "2025-01-01T10:05:00Z",
    });
    await deployment("d2", "hist", "r2", {
      phase: "Succeeded",
      startedAt: "2025-01-01T11:00:00Z",
      completedAt: "2025-01-01T11:05:00Z",
    });
    await deployment("other", "dev", "r9", { phase: "Succeeded", completedAt: "2025-01-01T12:00:00Z" });
    const two = await waitFor(get("hist"), "current r2", (e) => e.status?.current?.release === "r2");
    assert.deepEqual(two.status?.current, { release: "r2", deployment: "d2", deployedAt: "2025-01-01T11:05:00Z" });
    assert.deepEqual(two.status?.previous, {
      release: "r1",
      deployment: "d1",
      deployedAt: "2025-01-01T10:05:00Z",
      replacedAt: "2025-01-01T11:05:00Z",
    });
    assert.deepEqual(
      two.status?.history?.map((r) => r.release),
      ["r2", "r1"],
    );

    await deployment("d3", "hist", "r3", { phase: "Progressing", startedAt: "2025-01-01T12:00:00Z" });
    const running = await waitFor(
      get("hist"),
      "Progressing with d3 active",
      (e) => e.status?.phase === "Progressing" && e.status.activeDeployment === "d3",
    );
    assert.equal(running.status?.current?.release, "r2");

    await deployment("d3", "hist", "r3", {
      phase: "RolledBack",
      startedAt: "2025-01-01T12:00:00Z",
      completedAt: "2025-01-01T12:03:00Z",
      rollback: {
        release: "r2",
        reason: "HealthCheckFailed",
        startedAt: "2025-01-01T12:02:00Z",
        completedAt: "2025-01-01T12:02:30Z",
      },
    });
    const rolledBack = await waitFor(
      get("hist"),
      "back to Degraded after the rollback",
      (e) => e.status?.phase === "Degraded" && e.status.current?.deployment === "d3",
    );
    assert.deepEqual(rolledBack.status?.current, {
      release: "r2",
      deployment: "d3",
      deployedAt: "2025-01-01T12:02:30Z",
      rollback: true,
    });
    assert.equal(rolledBack.status?.previous?.release, "r1");
    assert.equal(rolledBack.status?.activeDeployment, undefined);
    assert.deepEqual(
      rolledBack.status?.history?.map((r) => `${r.release}@${r.deployment}`),
      ["r2@d3", "r2@d2", "r1@d1"],
    );

    await t.deployments.delete("d3", { namespace: t.namespace });
    await waitFor(get("hist"), "current d2 again once d3 is gone", (e) => e.status?.current?.deployment === "d2");
  });
});
