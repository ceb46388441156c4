// Crash safety with a real kill: the controllers run in a child process, which is killed with
// SIGKILL in the middle of a rolling deployment (one target done, the next in progress) and then
// started again. The rollout must finish with every target on the new release, exactly one unit
// per component per target (no duplicates), and no target skipped.
import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
  containers,
  controllerProcess,
  deployment,
  dockerTarget,
  environment,
  page,
  hostPort,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  web,
  worker,
  type DeployEnv,
} from "./deploy-env.ts";

const skip = await estateSkipReason();
const TARGETS = ["k-a", "k-b", "k-c", "k-d"];

describe("a controller killed mid-rollout", { skip }, () => {
  let de: DeployEnv;
  let ns: string;
  const children: ReturnType<typeof controllerProcess>[] = [];
  before(async () => {
    de = await startDeployEnv({ controllers: "none" });
    ns = de.namespace;
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await de?.stop();
  });

  it("finishes the rollout after a restart with no duplicate units and no target skipped", async () => {
    await de.releases.create(release(ns, "v1", [web("1.4.0"), worker()]));
    // Healthy only after 3 probes 500 ms apart, so each target takes over a second: time to kill.
    await de.releases.create(release(ns, "v2", [web("1.5.0", { healthyThreshold: 3 }), worker()]));
    await de.environments.create(
      environment(ns, "kill", {
        deployment: { strategy: { type: "Rolling", maxParallel: 1 }, progressDeadline: "2m" },
      }),
    );
    for (const t of TARGETS) await de.targets.create(dockerTarget(ns, t, "kill"));
    children.push(controllerProcess(de));
    await de.deployments.create(deployment(ns, "k1", { release: "v1", environment: "kill" }));
    assert.equal((await waitPhase(de, "k1", ["Succeeded", "Failed", "RolledBack"])).status?.phase, "Succeeded");

    await de.deployments.create(deployment(ns, "k2", { release: "v2", environment: "kill" }));
    const mid = await waitFor(
      "k2 to have one target done and the next in progress",
      () => de.deployments.get("k2"),
      (d) =>
        (d.status?.targets ?? []).filter((t) => t.phase === "Succeeded").length >= 1 &&
        (d.status?.targets ?? []).some((t) => t.phase === "Progressing"),
    );
    const first = children[0];
    first.kill("SIGKILL");
    await once(first, "exit");
    const atKill = mid.status?.targets?.map((t) => `${t.name}:${t.phase}`).join(" ");

    children.push(controllerProcess(de));
    const done = await waitPhase(de, "k2", ["Succeeded", "Failed", "RolledBack"], 120_000);
    assert.equal(done.status?.phase, "Succeeded", `${done.status?.message} (at the kill: ${atKill})`);
    assert.deepEqual(
      done.status?.targets?.map((t) => [t.name, t.phase]),
      TARGETS.map((t) => [t, "Succeeded"]),
    );
    const all = await containers(ns, { environment: "kill" });
    for (const t of TARGETS) {
      const mine = all.filter((c) => c.labels["stella.io/target"] === t);
      assert.deepEqual(
        mine.map((c) => c.labels["stella.io/component"]).sort(),
        ["web", "worker"],
        `${t}: ${mine.map((c) => c.name).join(", ")}`,
      );
      assert.ok(
        mine.every((c) => c.labels["stella.io/release"] === "v2" && c.state === "running"),
        `${t} runs v2`,
      );
      assert.equal(await page(hostPort(mine.find((c) => c.labels["stella.io/component"] === "web")!)), "1.5.0");
    }
  });
});
