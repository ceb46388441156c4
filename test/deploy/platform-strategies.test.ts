// Each strategy through the deployment controller onto Nomad and ECS (their contract fakes, every
// allocation or task a real container): v1 then v2 succeed, the platform runs exactly one unit per
// component per target at v2 (the previous release gone, after scale-down for BlueGreen), v2 serves,
// the stored artifact is the platform's (Nomad job, ECS task definition), and the platform's own view
// (job version / task definition revision) names the release.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { StrategyType } from "../../crds/deployment-strategy.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
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
const ARTIFACT: Record<Platform, string> = { nomad: "nomad-job", ecs: "ecs-task-definition" };

const STRATEGIES: { type: StrategyType; targets: string[]; spec: Record<string, unknown> }[] = [
  { type: "AllAtOnce", targets: ["a"], spec: { type: "AllAtOnce" } },
  { type: "Rolling", targets: ["r1", "r2"], spec: { type: "Rolling", maxParallel: 1, maxUnavailable: 0 } },
  { type: "BlueGreen", targets: ["b"], spec: { type: "BlueGreen", scaleDownDelay: "4s" } },
];

for (const platform of ["nomad", "ecs"] as const) {
  describe(`deployment strategies on ${platform} (contract fake)`, { skip }, () => {
    let de: DeployEnv;
    let fakes: PlatformFakes;
    let ns: string;
    before(async () => {
      fakes = await startPlatformFakes();
      de = await startDeployEnv({ ports: PLATFORM_PORTS });
      ns = de.namespace;
      await createPlatformSecrets(de, fakes);
      await de.releases.create(release(ns, "v1", [web("1.4.0"), worker()]));
      await de.releases.create(release(ns, "v2", [web("1.5.0"), worker()]));
    });
    after(async () => {
      await de?.stop();
      await fakes?.close(); // first: a running fake would start what is removed again
      if (ns) await removeNomadContainers(ns);
    });

    // BlueGreen: v2 starts at once after v1, so v1's own scale-down (scaleDownDelay later) comes
    // while v2 rolls out; it must leave v2's units alone (issue 14: on ECS it deleted the new slot's
    // services). controllers/deployment/phase-finished.test.ts pins the rule without the timing.
    for (const s of STRATEGIES) {
      it(`${s.type}: v1 then v2 through the deployment controller, one unit per component, v2 serving`, async () => {
        const env = s.type.toLowerCase();
        await de.environments.create(
          environment(ns, env, { deployment: { strategy: s.spec as never, progressDeadline: "3m" } }),
        );
        const targets = s.targets.map((t) => platformTarget(platform, fakes, ns, `${env}-${t}`, env));
        for (const t of targets) await de.targets.create(t);
        for (const [name, rel] of [
          [`${env}-1`, "v1"],
          [`${env}-2`, "v2"],
        ]) {
          await de.deployments.create(deployment(ns, name, { release: rel, environment: env }));
          const d = await waitPhase(de, name, ["Succeeded", "Failed", "RolledBack"], 240_000);
          assert.equal(d.status?.phase, "Succeeded", `${name}: ${d.status?.message}`);
          assert.equal(d.status?.strategy?.type, s.type);
          assert.deepEqual([...new Set(d.status?.artifacts?.map((a) => a.type))], [ARTIFACT[platform]]);
        }
        const driver = await bindDriver(platform, fakes, targets[0]);
        try {
          const units = await waitFor(
            `${env}: only v2 left on ${platform}`,
            () => driver.observe({ namespace: ns, environment: env }),
            (us) => us.length === 2 * targets.length && us.every((u) => u.release === "v2" && u.running),
            120_000,
          );
          for (const t of targets) {
            const mine = units.filter((u) => u.target === t.metadata.name);
            assert.deepEqual(mine.map((u) => u.component).sort(), ["web", "worker"], `${t.metadata.name}`);
            const port = mine.find((u) => u.component === "web")!.ports[0].hostPort;
            assert.equal(await page(port), "1.5.0");
          }
          const rollouts = await driver.rollouts!({ namespace: ns, environment: env });
          assert.ok(rollouts.length > 0 && rollouts.every((r) => r.release === "v2"), JSON.stringify(rollouts));
        } finally {
          await driver.close();
        }
      });
    }
  });
}
