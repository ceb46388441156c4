// A canary controller killed (SIGKILL) mid-canary resumes at the same step: the controllers run in a
// child process; the canary is killed during a timed pause after its first weight, then a new
// process takes over. It keeps the step, the pause and the canary unit it started, the
// router's weight never goes below the one verified before the kill, and the walk goes on.
import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { evidencePacketKind, type EvidencePacket } from "../../crds/evidence-packet.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import {
  containers,
  controllerProcess,
  release,
  startDeployEnv,
  waitFor,
  type DeployEnv,
} from "../deploy/deploy-env.ts";
import { CANARY_PORTS, canaryObject, frontStable, routerWeight, webComponent } from "./canary-env.ts";

const skip = (await estateSkipReason()) ?? (await routerSkipReason("haproxy"));

describe("a canary controller killed mid-canary", { skip }, () => {
  let de: DeployEnv;
  const children: ReturnType<typeof controllerProcess>[] = [];
  let front: Awaited<ReturnType<typeof frontStable>> | undefined;
  before(async () => {
    de = await startDeployEnv({ controllers: "none", ports: CANARY_PORTS });
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await front?.stop();
    await de?.stop();
  });

  it("resumes at the same step without moving the weight back", async () => {
    const ns = de.namespace;
    children.push(controllerProcess(de));
    front = await frontStable(de, "canary-r");
    await de.releases.create(release(ns, "shop-1-5-0", [webComponent("1.5.0")]));
    const canaries = de.admin.resource<Canary>(canaryKind);
    const steps = [{ setWeight: 20 }, { pause: { duration: "6s" } }, { setWeight: 40 }, { pause: {} }];
    const spec = { release: "shop-1-5-0", environment: "canary-r", steps };
    await canaries.create(canaryObject(ns, "web-r", spec, front.haproxy, front.metrics.url));

    const atKill = await waitFor(
      "web-r to pause at step 1",
      () => canaries.get("web-r"),
      (c) => c.status?.currentStepIndex === 1 && c.status.pauseStartTime !== undefined,
    );
    const first = children[0];
    first.kill("SIGKILL");
    await once(first, "exit");
    const [unitAtKill] = await containers(ns, { environment: "canary-r", release: "shop-1-5-0" });
    assert.equal(atKill.status?.currentWeight, 20);

    const weights: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        weights.push(await routerWeight(front!.haproxy));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    children.push(controllerProcess(de));
    const resumed = await waitFor(
      "web-r to reach the pause at step 3",
      () => canaries.get("web-r"),
      (c) => c.status?.currentStepIndex === 3,
    );
    sampling = false;
    await sampler;
    assert.equal(resumed.status?.phase, "Paused", resumed.status?.message);
    assert.equal(resumed.status?.currentWeight, 40);
    assert.ok(weights.length > 0 && Math.min(...weights) >= 20, `weights seen across the restart: ${weights}`);
    const packets = await de.admin.resource<EvidencePacket>(evidencePacketKind).list({
      labelSelector: "stella.io/canary=web-r",
    });
    const second = packets.items.find((p) => p.spec.details?.step === 2 && p.spec.decision.outcome === "WeightSet");
    assert.ok(
      Date.parse(second?.spec.decidedAt ?? "") >= Date.parse(atKill.status!.pauseStartTime!) + 6000,
      "the pause (started before the kill) was waited out before the next weight",
    );
    const [unitAfter] = await containers(ns, { environment: "canary-r", release: "shop-1-5-0" });
    assert.equal(unitAfter.id, unitAtKill.id, "the new controller kept the canary unit the first one started");
    const evidence = resumed.status?.evidence ?? [];
    assert.equal(new Set(evidence).size, evidence.length, `no decision recorded twice: ${evidence}`);
  });
});
