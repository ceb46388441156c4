// A controller killed (SIGKILL) in the middle of a rolling deployment onto Nomad and ECS (their
// contract fakes), then started again: it must pick up the platform's rollout from what the
// platform holds (Stella's labels and tags on jobs and services), finish with every target on the
// new release, exactly one unit per component per target, and register nothing twice: the target
// that was in flight at the kill has the same platform history (Nomad job versions; ECS task
// definition revisions, each release registered once) as the targets that were not.
import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
  controllerProcess,
  deployment,
  environment,
  page,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  web,
  worker,
  type DeployEnv,
} from "./deploy-env.ts";
import {
  bindDriver,
  createPlatformSecrets,
  PLATFORM_PORTS,
  platformTarget,
  removeNomadContainers,
  startPlatformFakes,
  type Platform,
  type PlatformFakes,
} from "./platform-env.ts";

const skip = await estateSkipReason();
const TARGETS = ["k-a", "k-b", "k-c"];

/** What the platform registered for one target: Nomad job versions, ECS task definition revisions. */
function history(platform: Platform, fakes: PlatformFakes, ns: string, target: string): string[] {
  if (platform === "nomad") {
    const versions = [...fakes.nomad.store.jobs.entries()].filter(([k]) => k.endsWith(`stella-${ns}-kill-${target}`));
    return versions.flatMap(([, jobs]) => jobs.map((j) => `version ${j.Version}`));
  }
  return [...fakes.ecs.store.taskDefs.values()]
    .filter((d) => d.family.includes(`-kill-${target}-`))
    .map((d) => `${d.family.slice(d.family.indexOf(`-${target}-`) + target.length + 2)}:${d.revision}`)
    .sort();
}

for (const platform of ["nomad", "ecs"] as const) {
  describe(`a controller killed mid-rollout on ${platform} (contract fake)`, { skip }, () => {
    let de: DeployEnv;
    let fakes: PlatformFakes;
    let ns: string;
    const children: ReturnType<typeof controllerProcess>[] = [];
    before(async () => {
      fakes = await startPlatformFakes();
      de = await startDeployEnv({ controllers: "none", ports: PLATFORM_PORTS });
      ns = de.namespace;
      await createPlatformSecrets(de, fakes);
    });
    after(async () => {
      for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
      await de?.stop();
      await fakes?.close(); // first: a running fake would start what is removed again
      if (ns) await removeNomadContainers(ns);
    });

    it("picks the rollout up after a restart: no target skipped, no duplicate unit, nothing registered twice", async () => {
      await de.releases.create(release(ns, "v1", [web("1.4.0"), worker()]));
      // Healthy only after 3 probes 500 ms apart, so each target takes a while: time to kill.
      await de.releases.create(release(ns, "v2", [web("1.5.0", { healthyThreshold: 3 }), worker()]));
      await de.environments.create(
        environment(ns, "kill", {
          deployment: { strategy: { type: "Rolling", maxParallel: 1 }, progressDeadline: "3m" },
        }),
      );
      const targets = TARGETS.map((t) => platformTarget(platform, fakes, ns, t, "kill"));
      for (const t of targets) await de.targets.create(t);
      children.push(controllerProcess(de));
      await de.deployments.create(deployment(ns, "k1", { release: "v1", environment: "kill" }));
      const k1 = await waitPhase(de, "k1", ["Succeeded", "Failed", "RolledBack"], 240_000);
      assert.equal(k1.status?.phase, "Succeeded", k1.status?.message);

      await de.deployments.create(deployment(ns, "k2", { release: "v2", environment: "kill" }));
      const mid = await waitFor(
        "k2 to have one target done and the next in progress",
        () => de.deployments.get("k2"),
        (d) =>
          (d.status?.targets ?? []).filter((t) => t.phase === "Succeeded").length >= 1 &&
          (d.status?.targets ?? []).some((t) => t.phase === "Progressing"),
        240_000,
      );
      const first = children[0];
      first.kill("SIGKILL");
      await once(first, "exit");
      const atKill = mid.status?.targets?.map((t) => `${t.name}:${t.phase}`).join(" ");

      children.push(controllerProcess(de));
      const done = await waitPhase(de, "k2", ["Succeeded", "Failed", "RolledBack"], 240_000);
      assert.equal(done.status?.phase, "Succeeded", `${done.status?.message} (at the kill: ${atKill})`);
      assert.deepEqual(
        done.status?.targets?.map((t) => [t.name, t.phase]),
        TARGETS.map((t) => [t, "Succeeded"]),
      );
      const driver = await bindDriver(platform, fakes, targets[0]);
      try {
        const units = await waitFor(
          "only v2 left",
          () => driver.observe({ namespace: ns, environment: "kill" }),
          (us) => us.length === 2 * TARGETS.length && us.every((u) => u.release === "v2" && u.running),
          120_000,
        );
        for (const t of TARGETS) {
          const mine = units.filter((u) => u.target === t);
          assert.deepEqual(mine.map((u) => u.component).sort(), ["web", "worker"], t);
          assert.equal(await page(mine.find((u) => u.component === "web")!.ports[0].hostPort), "1.5.0");
        }
      } finally {
        await driver.close();
      }
      const histories = TARGETS.map((t) => history(platform, fakes, ns, t));
      assert.ok(histories[0].length > 0, "the platform holds a history");
      for (const [i, h] of histories.entries())
        assert.deepEqual(h, histories[0], `${TARGETS[i]} has the same platform history (at the kill: ${atKill})`);
      // Rolling on ECS is in place: v1 and v2 are revisions 1 and 2 of the slot's family, once each.
      if (platform === "ecs")
        assert.deepEqual(histories[0], ["web-blue:1", "web-blue:2", "worker-blue:1", "worker-blue:2"]);
    });
  });
}
