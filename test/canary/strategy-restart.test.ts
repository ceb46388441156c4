// A Canary-strategy Deployment whose controllers are killed (SIGKILL) while it follows its Canary:
// the controllers run in a child process, killed while the canary waits at a pause for promote; a
// new process finds the same Canary (same uid, no second one), the deployment keeps mirroring it,
// `stella canary promote <deployment name>` lets it finish, and the release lands.
import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { stella } from "../cli/run-stella.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import {
  controllerProcess,
  deployment,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  type DeployEnv,
} from "../deploy/deploy-env.ts";
import { CANARY_PORTS, canaryPlan, frontStable, sendVersions, webComponent } from "./canary-env.ts";

const skip = (await estateSkipReason()) ?? (await routerSkipReason("haproxy"));

describe("a Canary-strategy deployment across a controller restart", { skip }, () => {
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

  it("finds its Canary again, follows it to the end, and lands the release", async () => {
    const ns = de.namespace;
    children.push(controllerProcess(de));
    front = await frontStable(de, "strategy-r");
    await de.releases.create(release(ns, "shop-1-5-0", [webComponent("1.5.0")]));
    const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }];
    const strategy = { type: "Canary" as const, canary: canaryPlan(front.haproxy, front.metrics.url, steps) };
    await de.deployments.create(
      deployment(ns, "web-r", { release: "shop-1-5-0", environment: "strategy-r", strategy }),
    );

    const mirrored = await waitFor(
      "deployment web-r to mirror the canary's pause",
      () => de.deployments.get("web-r"),
      (d) => /paused at step 2\/3, weight 20%/.test(d.status?.message ?? ""),
    );
    assert.equal(mirrored.status?.phase, "Progressing");
    const canaries = de.admin.resource<Canary>(canaryKind);
    const before = await canaries.get("web-r");
    const first = children[0];
    first.kill("SIGKILL");
    await once(first, "exit");

    children.push(controllerProcess(de));
    const promoted = await stella(["canary", "promote", "web-r", "-n", ns], {
      kubeconfig: de.env.server.kubeconfigPath,
    });
    assert.equal(promoted.code, 0, promoted.stderr);
    const d = await waitPhase(de, "web-r", ["Succeeded", "Failed", "Aborted"], 120_000);
    assert.equal(d.status?.phase, "Succeeded", d.status?.message);
    const { items } = await canaries.list({ labelSelector: "stella.io/deployment=web-r" });
    assert.deepEqual(
      items.map((c) => [c.metadata.name, c.metadata.uid, c.status?.phase]),
      [["web-r", before.metadata.uid, "Succeeded"]],
      "the restarted controller followed the Canary it had, and made no other",
    );
    await waitFor(
      "strategy-r to show shop-1-5-0",
      () => de.environments.get("strategy-r"),
      (e) => e.status?.current?.release === "shop-1-5-0" && e.status.current.deployment === "web-r",
    );
    assert.deepEqual(await sendVersions(front.haproxy.entry, 20), { "1.5.0": 20 });
  });
});
