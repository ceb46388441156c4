// Canaries on the platforms that place units themselves, Nomad and ECS (their contract fakes, every
// allocation or task a real container on the estate's engine), through a real haproxy: the stable
// release lands through the deployment controller, the canary controller starts the canary unit
// through the same driver in the other slot, and routes to the address the platform reported for
// each unit (Nomad's allocation HostIP, the ECS task's ENI address: 127.0.0.1 on the fakes). The
// weight is read back from haproxy, haproxy's servers are the units' reported addresses, and
// requests reach both releases. Then the ending through the platform's own rollout: on Nomad
// `stella canary promote` (the canary becomes stable, the old units go after scaleDownDelay), on
// ECS `stella canary abort` (all traffic back on stable first, then the canary's units go).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import type { Target } from "../../crds/target.ts";
import { parseRuntimeAddress, runtimeCommand } from "../../controllers/routers/haproxy/runtime-api.ts";
import type { Driver, ObservedUnit } from "../../sdk/plugins/driver.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import type { HaproxyServer } from "../routers/haproxy-server.ts";
import {
  deployment,
  environment,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  type DeployEnv,
} from "../deploy/deploy-env.ts";
import {
  bindDriver,
  createPlatformSecrets,
  platformTarget,
  removeNomadContainers,
  startPlatformFakes,
  type Platform,
  type PlatformFakes,
} from "../deploy/platform-env.ts";
import { stella } from "../cli/run-stella.ts";
import { canaryObject, routerWeight, sendVersions, startFront, webComponent } from "./canary-env.ts";

/** Host ports of this file's units (apart from the canary tests' and the platform deployment tests'). */
const PORTS = { from: 26000, to: 26999 };

const skip = (await estateSkipReason()) ?? (await routerSkipReason("haproxy"));

/** `addr` (host:port) of each server of haproxy's backend, from its own `show stat`. */
async function serverAddresses(haproxy: HaproxyServer): Promise<Record<string, string>> {
  const csv = await runtimeCommand(parseRuntimeAddress(haproxy.runtimeApi), "show stat");
  const [head, ...rows] = csv.split("\n").filter(Boolean);
  const col = head.replace(/^# /, "").split(",");
  const at = (row: string[], name: string) => row[col.indexOf(name)];
  return Object.fromEntries(
    rows
      .map((r) => r.split(","))
      .filter((r) => at(r, "pxname") === haproxy.backend && ["stable", "canary"].includes(at(r, "svname")))
      .map((r) => [at(r, "svname"), at(r, "addr")]),
  );
}

const address = (u: ObservedUnit) => `${u.host}:${u.ports[0].hostPort}`;

describe("canaries to units Nomad and ECS place (contract fakes) through haproxy", { skip }, () => {
  let de: DeployEnv;
  let fakes: PlatformFakes;
  let ns: string;
  const fronts: { stop(): Promise<void> }[] = [];
  const drivers: Driver[] = [];
  before(async () => {
    fakes = await startPlatformFakes();
    de = await startDeployEnv({ ports: PORTS });
    ns = de.namespace;
    await createPlatformSecrets(de, fakes);
    await de.releases.create(release(ns, "shop-1-4-0", [webComponent("1.4.0")]));
    await de.releases.create(release(ns, "shop-1-5-0", [webComponent("1.5.0")]));
  });
  after(async () => {
    for (const f of fronts) await f.stop();
    for (const d of drivers) await d.close();
    await de?.stop();
    await fakes?.close(); // first: a running fake would start what is removed again
    if (ns) await removeNomadContainers(ns);
  });

  // ECS on FARGATE: awsvpc tasks, whose address is their ENI's (EC2 host mode reports 0.0.0.0 on ECS).
  const target = (platform: Platform, env: string): Target => {
    const t = platformTarget(platform, fakes, ns, `${env}-t`, env);
    if (t.spec.ecs) t.spec.ecs.launchType = "FARGATE";
    return t;
  };

  for (const platform of ["nomad", "ecs"] as const) {
    it(`${platform}: the canary routes to the addresses the platform reported, weight read back, both releases answer`, async () => {
      const env = `canary-${platform}`;
      await de.environments.create(
        environment(ns, env, { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "2m" } }),
      );
      const t = target(platform, env);
      await de.targets.create(t);
      await de.deployments.create(deployment(ns, `${env}-stable`, { release: "shop-1-4-0", environment: env }));
      const d = await waitPhase(de, `${env}-stable`, ["Succeeded", "Failed", "RolledBack"], 180_000);
      assert.equal(d.status?.phase, "Succeeded", d.status?.message);
      await waitFor(
        `${env} to show shop-1-4-0`,
        () => de.environments.get(env),
        (e) => !!e.status?.current,
      );

      const driver = await bindDriver(platform, fakes, t);
      drivers.push(driver);
      const [stable] = await waitFor(
        `the stable unit on ${platform} with its address`,
        () => driver.observe({ namespace: ns, environment: env, release: "shop-1-4-0" }),
        (us) => us.length === 1 && us[0].running && !!us[0].host,
      );
      assert.equal(stable.host, "127.0.0.1", "the fake reports its loopback placement");

      const f = await startFront(`${env.replaceAll("-", "_")}_web`, stable.ports[0].hostPort);
      fronts.push(f);
      const spec = { release: "shop-1-5-0", environment: env, steps: [{ setWeight: 50 }, { pause: {} }] };
      await de.admin
        .resource<Canary>(canaryKind)
        .create(canaryObject(ns, `web-${platform}`, spec, f.haproxy, f.metrics.url));
      const paused = await waitFor(
        `canary web-${platform} to pause at 50%`,
        () => de.admin.resource<Canary>(canaryKind).get(`web-${platform}`),
        (c) => c.status?.phase === "Paused" || c.status?.phase === "Aborted",
        180_000,
      );
      assert.equal(paused.status?.phase, "Paused", paused.status?.message);
      assert.equal(paused.status?.currentWeight, 50);
      assert.equal(await routerWeight(f.haproxy), 50);

      const [canary] = await driver.observe({ namespace: ns, environment: env, release: "shop-1-5-0" });
      assert.ok(canary?.host, `the canary unit carries the address ${platform} reported`);
      assert.notEqual(canary.slot, stable.slot, "in the other slot");
      assert.deepEqual(await serverAddresses(f.haproxy), { stable: address(stable), canary: address(canary) });

      const split = await sendVersions(f.haproxy.entry, 100);
      assert.equal((split["1.4.0"] ?? 0) + (split["1.5.0"] ?? 0), 100, JSON.stringify(split));
      assert.ok(
        (split["1.4.0"] ?? 0) > 0 && (split["1.5.0"] ?? 0) > 0,
        `both releases answer: ${JSON.stringify(split)}`,
      );

      const verb = platform === "nomad" ? "promote" : "abort";
      const r = await stella(["canary", verb, `web-${platform}`, "-n", ns], {
        kubeconfig: de.env.server.kubeconfigPath,
      });
      assert.equal(r.code, 0, r.stderr);
      const ended = await waitFor(
        `canary web-${platform} to end after ${verb}`,
        () => de.admin.resource<Canary>(canaryKind).get(`web-${platform}`),
        (c) => ["Succeeded", "Aborted", "Failed"].includes(c.status?.phase ?? ""),
        180_000,
      );
      const [kept, gone, expected] =
        verb === "promote"
          ? (["shop-1-5-0", "shop-1-4-0", "Succeeded"] as const)
          : (["shop-1-4-0", "shop-1-5-0", "Aborted"] as const);
      assert.equal(ended.status?.phase, expected, ended.status?.message);
      assert.equal(await routerWeight(f.haproxy), verb === "promote" ? 100 : 0);
      assert.deepEqual(await sendVersions(f.haproxy.entry, 40), {
        [kept.replace("shop-", "").replaceAll("-", ".")]: 40,
      });
      // The other release's units go through the platform (promote: after scaleDownDelay).
      const left = await waitFor(
        `${gone}'s unit on ${platform} to go`,
        () => driver.observe({ namespace: ns, environment: env }),
        (us) => !us.some((u) => u.release === gone && u.running),
        120_000,
      );
      assert.ok(
        left.some((u) => u.release === kept && u.running),
        `${kept} still runs on ${platform}`,
      );
    });
  }
});
