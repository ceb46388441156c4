// canary.yaml's shape on an environment like the examples' prod: four targets (here four docker
// targets on the local engine), so the canary controller hands the router four stable and four
// canary addresses, one unit of each release per target. A haproxy of the test's own with four
// server slots per side (test/routers/haproxy-server.ts) sits in front; analysis by the web provider
// over haproxy's counters of the `canary` slot. At the promote pause every slot of both sides is in
// service at its unit's address and the split is the step's; promote ends in Succeeded, all on 1.5.0.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readSlots } from "../../controllers/routers/haproxy/slots.ts";
import { parseRuntimeAddress } from "../../controllers/routers/haproxy/runtime-api.ts";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { stella } from "../cli/run-stella.ts";
import {
  containers,
  deployment,
  dockerTarget,
  environment,
  hostPort,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  type DeployEnv,
} from "../deploy/deploy-env.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import { SLOTS } from "../routers/haproxy-server.ts";
import { CANARY_PORTS, canaryObject, routerWeight, sendVersions, startFront, webComponent } from "./canary-env.ts";

const skip = (await estateSkipReason()) ?? (await routerSkipReason("haproxy"));
const ENV = "canary-four";
const TARGETS = 4;

describe("a canary over four targets through haproxy's server slots", { skip }, () => {
  let de: DeployEnv;
  let ns: string;
  let front: Awaited<ReturnType<typeof startFront>> | undefined;
  before(async () => {
    de = await startDeployEnv({ ports: CANARY_PORTS });
    ns = de.namespace;
    await de.releases.create(release(ns, "shop-1-4-0", [webComponent("1.4.0")]));
    await de.releases.create(release(ns, "shop-1-5-0", [webComponent("1.5.0")]));
  });
  after(async () => {
    await front?.stop();
    await de?.stop();
  });

  const canaries = () => de.admin.resource<Canary>(canaryKind);
  const cli = (...args: string[]) => stella([...args, "-n", ns], { kubeconfig: de.env.server.kubeconfigPath });
  const ports = async (name: string) =>
    (await containers(ns, { environment: ENV, release: name })).map((c) => `127.0.0.1:${hostPort(c)}`).sort();

  it("fills a slot per unit on each side, splits by the step's weight, and succeeds", async () => {
    assert.ok(SLOTS >= TARGETS, "the test haproxy has a slot per target");
    const env = environment(ns, ENV, { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "2m" } });
    await de.environments.create(env);
    for (let i = 1; i <= TARGETS; i++) await de.targets.create(dockerTarget(ns, `${ENV}-${i}`, ENV));
    await de.deployments.create(deployment(ns, `${ENV}-stable`, { release: "shop-1-4-0", environment: ENV }));
    const d = await waitPhase(de, `${ENV}-stable`, ["Succeeded", "Failed", "RolledBack"], 120_000);
    assert.equal(d.status?.phase, "Succeeded", d.status?.message);
    await waitFor(
      `${ENV} to show shop-1-4-0`,
      () => de.environments.get(ENV),
      (e) => e.status?.current?.release === "shop-1-4-0",
    );
    const stable = await ports("shop-1-4-0");
    assert.equal(stable.length, TARGETS, stable.join(", "));
    front = await startFront("four_web", Number(stable[0].split(":")[1]));

    const steps = [
      { setWeight: 10 },
      { pause: { duration: "1s" } },
      { analysis: { metrics: ["error-rate"] } },
      { setWeight: 50 },
      { pause: {} },
      { setWeight: 100 },
    ];
    const spec = { release: "shop-1-5-0", environment: ENV, steps };
    await canaries().create(canaryObject(ns, "web-four", spec, front.haproxy, front.metrics.url));
    const paused = await waitFor(
      "canary web-four to wait for promote at step 4",
      () => canaries().get("web-four"),
      (c) => c.status?.currentStepIndex === 4,
      180_000,
    );
    assert.equal(paused.status?.phase, "Paused", paused.status?.message);
    assert.equal(paused.status?.analysisRuns?.[0]?.phase, "Successful");
    assert.equal(await routerWeight(front.haproxy), 50);

    const canary = await ports("shop-1-5-0");
    assert.equal(canary.length, TARGETS, canary.join(", "));
    const slots = await readSlots(parseRuntimeAddress(front.haproxy.runtimeApi), front.haproxy.backend);
    const side = (prefix: string) => slots.filter((s) => s.name === prefix || s.name.startsWith(`${prefix}-`));
    for (const [prefix, addresses] of [
      ["stable", stable],
      ["canary", canary],
    ] as const) {
      const inService = side(prefix).filter((s) => s.ready);
      assert.deepEqual(inService.map((s) => `${s.host}:${s.port}`).sort(), addresses, `${prefix} slots`);
      assert.equal(
        inService.reduce((sum, s) => sum + s.weight, 0),
        50,
        `${prefix} side's weight points`,
      );
    }
    const split = await sendVersions(front.haproxy.entry, 400);
    assert.equal((split["1.4.0"] ?? 0) + (split["1.5.0"] ?? 0), 400, JSON.stringify(split));
    assert.ok(Math.abs((split["1.5.0"] ?? 0) / 4 - 50) <= 5, `50% split within 5 points: ${JSON.stringify(split)}`);

    const promoted = await cli("canary", "promote", "web-four");
    assert.equal(promoted.code, 0, promoted.stderr);
    const done = await waitFor(
      "canary web-four to succeed",
      () => canaries().get("web-four"),
      (c) => c.status?.phase === "Succeeded",
    );
    assert.equal(done.status?.currentWeight, 100);
    assert.deepEqual(await sendVersions(front.haproxy.entry, 40), { "1.5.0": 40 });
  });
});
