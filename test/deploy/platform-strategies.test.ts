// Each strategy through the deployment controller onto Nomad and ECS (their contract fakes, every
// allocation or task a real container): v1 then v2 succeed, the platform runs exactly one unit per
// component per target at v2 (the previous release gone, after scale-down for BlueGreen), v2 serves,
// the stored artifact is the platform's (Nomad job, ECS task definition), and the platform's own view
// (job version / task definition revision) names the release. Then BlueGreen's way back on ECS.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  StopTaskCommand,
  type ServiceDeployment,
} from "@aws-sdk/client-ecs";
import type { ObservedUnit } from "../../sdk/plugins/driver.ts";
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
          // ECS replaces units in place for Rolling and AllAtOnce (its rolling update, circuit
          // breaker on); everything else starts v2 in the other slot, beside v1.
          const inPlace = platform === "ecs" && s.type !== "BlueGreen";
          const slots = [...new Set(units.map((u) => u.slot))];
          assert.deepEqual(slots, [inPlace ? "blue" : "green"], `${env}: v2's slot after v1 in blue`);
          if (platform === "ecs") {
            // ECS finishes its rolling deployment a moment after Stella's verdict, and its blue/green
            // one once the scale-down has promoted it (CONTINUE at the hook).
            const sds = await waitFor(
              `${env}: ECS's deployments to finish`,
              () => currentServiceDeployments(fakes, units),
              (found) => found.every((sd) => /SUCCESSFUL|FAILED|STOPPED/.test(sd.status ?? "")),
              60_000,
            );
            const expected = inPlace ? "ROLLING" : "BLUE_GREEN";
            for (const sd of sds)
              // ROLLING is ECS's default when the update names none
              assert.equal(sd.deploymentConfiguration?.strategy ?? "ROLLING", expected, sd.serviceArn);
            // A blue/green one ends SUCCESSFUL (a deployment left at its hook would be rolled back by
            // ECS at the hook's timeout). Not asserted for a rolling one: once in four local runs one
            // ended STOPPED in the fake although v2 ran and served (issue 14's closing note).
            if (!inPlace)
              assert.deepEqual(
                sds.map((sd) => sd.status),
                ["SUCCESSFUL", "SUCCESSFUL"],
              );
            for (const sd of sds) {
              const breaker = sd.deploymentConfiguration?.deploymentCircuitBreaker;
              assert.deepEqual(breaker, { enable: true, rollback: true }, sd.serviceArn);
            }
          }
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

/** The ECS services `units` run in (a unit's name is `service/task`), each once. */
const servicesOf = (units: readonly ObservedUnit[]) => [
  ...new Set(units.map((u) => u.name.slice(0, u.name.lastIndexOf("/")))),
];

/** The current service deployment of the services `units` run in. */
async function currentServiceDeployments(
  fakes: PlatformFakes,
  units: readonly ObservedUnit[],
): Promise<ServiceDeployment[]> {
  const ecs = new ECSClient({ region: "eu-west-1", endpoint: fakes.ecs.endpoint, credentials: fakes.aws });
  try {
    const services = servicesOf(units);
    const { services: found = [] } = await ecs.send(new DescribeServicesCommand({ cluster: "shop-prod", services }));
    const arns = found.map((s) => s.currentServiceDeployment!);
    return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }))).serviceDeployments!;
  } finally {
    ecs.destroy();
  }
}

// BlueGreen on ECS is ECS's own blue/green deployment of each component's one service (held at a
// PAUSE hook while Stella judges the green revision): a broken release goes back natively, and so
// does an aborted one, the blue tasks running throughout.
describe("BlueGreen on ecs (contract fake): ECS reverts the green revision", { skip }, () => {
  let de: DeployEnv;
  let fakes: PlatformFakes;
  let ns: string;
  let ecs: ECSClient;
  before(async () => {
    fakes = await startPlatformFakes();
    de = await startDeployEnv({ ports: PLATFORM_PORTS });
    ns = de.namespace;
    ecs = new ECSClient({ region: "eu-west-1", endpoint: fakes.ecs.endpoint, credentials: fakes.aws });
    await createPlatformSecrets(de, fakes);
    await de.releases.create(release(ns, "v1", [web("1.4.0"), worker()]));
    await de.releases.create(release(ns, "v2", [web("1.5.0"), worker()]));
    await de.releases.create(release(ns, "broken", [web("1.6.0-broken"), worker()]));
    // Healthy only after 200 probes 500 ms apart: it stays at the hook long enough to be aborted there.
    await de.releases.create(release(ns, "slow", [web("1.5.0", { healthyThreshold: 200 }), worker()]));
  });
  after(async () => {
    ecs?.destroy();
    await de?.stop();
    await fakes?.close();
  });

  /** v1 deployed in `env` (BlueGreen, `scaleDownDelay`); resolves with a driver reading the target and v1's units. */
  async function withV1(env: string, scaleDownDelay = "4s") {
    await de.environments.create(
      environment(ns, env, {
        deployment: { strategy: { type: "BlueGreen", scaleDownDelay }, progressDeadline: "3m" },
      }),
    );
    const target = platformTarget("ecs", fakes, ns, `${env}-t`, env);
    await de.targets.create(target);
    await de.deployments.create(deployment(ns, `${env}-1`, { release: "v1", environment: env }));
    const d = await waitPhase(de, `${env}-1`, ["Succeeded", "Failed", "RolledBack"], 240_000);
    assert.equal(d.status?.phase, "Succeeded", d.status?.message);
    const driver = await bindDriver("ecs", fakes, target);
    const v1 = await driver.observe({ namespace: ns, environment: env });
    assert.deepEqual(v1.map((u) => `${u.component}:${u.slot}`).sort(), ["web:blue", "worker:blue"]);
    return { driver, v1 };
  }

  /** Waits until the current service deployment of each of `units`' services is `done`. */
  const until = (what: string, units: readonly ObservedUnit[], done: (sd: ServiceDeployment) => boolean) =>
    waitFor(
      what,
      () => currentServiceDeployments(fakes, units),
      (sds) => sds.length === servicesOf(units).length && sds.every(done),
      120_000,
    );
  /** Waits until the green revision of each of `units`' services is held at its PAUSE hook. */
  const held = (units: readonly ObservedUnit[]) =>
    until(
      "the green revisions held at their PAUSE hooks",
      units,
      (sd) => !!sd.lifecycleHookDetails?.some((h) => h.status === "AWAITING_ACTION"),
    );
  /** The current service deployment of each of `units`' services, once none is under way. */
  const settled = (units: readonly ObservedUnit[]) =>
    until("the services' deployments to finish", units, (sd) => /SUCCESSFUL|FAILED|STOPPED/.test(sd.status ?? ""));

  // A blue task that stops on its own while green waits at the hook is not observed, so the
  // scale-down has nothing of v1 to remove; it promotes v2 all the same (Driver.promote). Without
  // that, ECS would hold green at the hook for a day and then roll the service back to v1.
  it("blue's tasks gone by themselves while green waits at its hook: the scale-down still promotes", async () => {
    const { driver, v1 } = await withV1("bggone", "20s");
    try {
      await de.deployments.create(deployment(ns, "bggone-2", { release: "v2", environment: "bggone" }));
      await held(v1);
      for (const u of v1)
        await ecs.send(new StopTaskCommand({ cluster: "shop-prod", task: u.id, reason: "the instance went away" }));
      const d = await waitPhase(de, "bggone-2", ["Succeeded", "Failed", "RolledBack"], 240_000);
      assert.equal(d.status?.phase, "Succeeded", d.status?.message);
      await waitFor(
        "v1's tasks to stop",
        () => driver.observe({ namespace: ns, environment: "bggone" }),
        (us) => us.every((u) => u.release === "v2"),
        60_000,
      );
      const sds = await settled(v1);
      assert.deepEqual(
        sds.map((sd) => [sd.status, sd.lifecycleHookDetails?.[0]?.status]),
        [
          ["SUCCESSFUL", "SUCCEEDED"],
          ["SUCCESSFUL", "SUCCEEDED"],
        ],
      );
      assert.ok((await de.deployments.get("bggone-2")).status?.scaledDownAt, "scaled down");
      const after = await driver.observe({ namespace: ns, environment: "bggone" });
      assert.deepEqual(after.map((u) => `${u.component}:${u.slot}:${u.release}`).sort(), [
        "web:green:v2",
        "worker:green:v2",
      ]);
      assert.equal(await page(after.find((u) => u.component === "web")!.ports[0].hostPort), "1.5.0");
    } finally {
      await driver.close();
    }
  });

  it("a broken release is RolledBack with the reason; ECS rolled the green revisions back and blue never stopped", async () => {
    const { driver, v1 } = await withV1("bgbad");
    try {
      await de.deployments.create(deployment(ns, "bgbad-2", { release: "broken", environment: "bgbad" }));
      const d = await waitPhase(de, "bgbad-2", ["Succeeded", "Failed", "RolledBack"], 240_000);
      assert.equal(d.status?.phase, "RolledBack", d.status?.message);
      assert.match(d.status?.rollback?.reason ?? "", /web is unhealthy/, JSON.stringify(d.status?.rollback));
      const sds = await settled(v1);
      assert.deepEqual(
        sds.map((sd) => [sd.deploymentConfiguration?.strategy, sd.status]),
        [
          ["BLUE_GREEN", "ROLLBACK_SUCCESSFUL"],
          ["BLUE_GREEN", "ROLLBACK_SUCCESSFUL"],
        ],
      );
      const after = await driver.observe({ namespace: ns, environment: "bgbad" });
      assert.deepEqual(after.map((u) => u.id).sort(), v1.map((u) => u.id).sort(), "v1's own tasks, never replaced");
      assert.equal(await page(v1.find((u) => u.component === "web")!.ports[0].hostPort), "1.4.0");
    } finally {
      await driver.close();
    }
  });

  it("an abort while ECS holds the green revision at its hook goes back with ContinueServiceDeployment ROLLBACK", async () => {
    const { driver, v1 } = await withV1("bgabort");
    try {
      await de.deployments.create(deployment(ns, "bgabort-2", { release: "slow", environment: "bgabort" }));
      await held(v1);
      assert.equal((await de.deployments.get("bgabort-2")).status?.phase, "Progressing");
      await de.deployments.patch("bgabort-2", { spec: { abort: true } }, { type: "merge" });
      const d = await waitPhase(de, "bgabort-2", ["Aborted", "Succeeded", "Failed", "RolledBack"], 240_000);
      assert.equal(d.status?.phase, "Aborted", d.status?.message);
      assert.equal(d.status?.rollback?.reason, "aborted by request");
      const sds = await settled(v1);
      for (const sd of sds) {
        assert.equal(sd.status, "ROLLBACK_SUCCESSFUL");
        assert.match(sd.rollback?.reason ?? "", /ContinueServiceDeployment/);
      }
      const after = await driver.observe({ namespace: ns, environment: "bgabort" });
      assert.deepEqual(after.map((u) => u.id).sort(), v1.map((u) => u.id).sort(), "v1's own tasks, never replaced");
      assert.equal(await page(v1.find((u) => u.component === "web")!.ports[0].hostPort), "1.4.0");
    } finally {
      await driver.close();
    }
  });
});

// Rolling on ECS is ECS's rolling update of each component's service in the slot it runs in: a
// broken release goes back by rolling the previous revision over it (or by the circuit breaker's
// own rollback, whichever comes first), and v1 serves again from the same slot.
describe("Rolling on ecs (contract fake): in place, back by a rolling update", { skip }, () => {
  let de: DeployEnv;
  let fakes: PlatformFakes;
  let ns: string;
  before(async () => {
    fakes = await startPlatformFakes();
    de = await startDeployEnv({ ports: PLATFORM_PORTS });
    ns = de.namespace;
    await createPlatformSecrets(de, fakes);
    await de.releases.create(release(ns, "v1", [web("1.4.0"), worker()]));
    await de.releases.create(release(ns, "broken", [web("1.6.0-broken"), worker()]));
  });
  after(async () => {
    await de?.stop();
    await fakes?.close();
  });

  it("a broken release is RolledBack with the reason, and v1 runs again in the same slot", async () => {
    await de.environments.create(
      environment(ns, "roll", {
        deployment: { strategy: { type: "Rolling" }, progressDeadline: "3m", autoRollback: true },
      }),
    );
    const target = platformTarget("ecs", fakes, ns, "roll-t", "roll");
    await de.targets.create(target);
    await de.deployments.create(deployment(ns, "roll-1", { release: "v1", environment: "roll" }));
    const first = await waitPhase(de, "roll-1", ["Succeeded", "Failed", "RolledBack"], 240_000);
    assert.equal(first.status?.phase, "Succeeded", first.status?.message);
    const driver = await bindDriver("ecs", fakes, target);
    try {
      const v1 = await driver.observe({ namespace: ns, environment: "roll" });
      assert.deepEqual(v1.map((u) => `${u.component}:${u.slot}`).sort(), ["web:blue", "worker:blue"]);
      await de.deployments.create(deployment(ns, "roll-2", { release: "broken", environment: "roll" }));
      const d = await waitPhase(de, "roll-2", ["Succeeded", "Failed", "RolledBack"], 240_000);
      assert.equal(d.status?.phase, "RolledBack", d.status?.message);
      assert.match(d.status?.rollback?.reason ?? "", /web/, JSON.stringify(d.status?.rollback));
      assert.equal(d.status?.targets?.[0]?.slot, "blue", "the broken release went into v1's slot");
      const after = await waitFor(
        "only v1 left, running",
        () => driver.observe({ namespace: ns, environment: "roll" }),
        (us) => us.length === 2 && us.every((u) => u.release === "v1" && u.running && u.slot === "blue"),
        120_000,
      );
      assert.equal(await page(after.find((u) => u.component === "web")!.ports[0].hostPort), "1.4.0");
      const sds = await currentServiceDeployments(fakes, after);
      for (const sd of sds) assert.equal(sd.deploymentConfiguration?.strategy ?? "ROLLING", "ROLLING", sd.serviceArn);
    } finally {
      await driver.close();
    }
  });
});
