// End to end on the local estate: a broken release (shop/web:1.6.0-broken, no /healthz) is rolled
// back automatically, and `kubectl describe deployment.release.stella.io` (and `stella describe`)
// shows what happened as Warning events, in time order.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { estateSkipReason } from "../estate/estate-env.ts";
import { kubectl } from "../kubectl.ts";
import { stella } from "../cli/run-stella.ts";
import {
  deployment,
  dockerTarget,
  environment,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  web,
  worker,
  type DeployEnv,
} from "../deploy/deploy-env.ts";

const skip = await estateSkipReason();
const DONE = ["Succeeded", "Failed", "RolledBack", "Aborted", "Superseded"];

describe("events of a rolled-back deployment on the local estate", { skip }, () => {
  let de: DeployEnv;
  before(async () => {
    de = await startDeployEnv();
  });
  after(async () => await de?.stop());

  it("kubectl describe shows unhealthy and rolled back as Warning events, oldest first", async () => {
    const ns = de.namespace;
    const kubeconfig = de.env.server.kubeconfigPath;
    await de.releases.create(release(ns, "shop-1-5-0", [web("1.5.0"), worker()]));
    await de.releases.create(release(ns, "shop-1-6-0", [web("1.6.0-broken"), worker()]));
    await de.environments.create(
      environment(ns, "prod", {
        deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "1m", autoRollback: true },
      }),
    );
    await de.targets.create(dockerTarget(ns, "prod-docker", "prod"));
    await de.deployments.create(deployment(ns, "prod-1", { release: "shop-1-5-0", environment: "prod" }));
    assert.equal((await waitPhase(de, "prod-1", DONE)).status?.phase, "Succeeded");
    await de.deployments.create(deployment(ns, "prod-2", { release: "shop-1-6-0", environment: "prod" }));
    assert.equal((await waitPhase(de, "prod-2", DONE)).status?.phase, "RolledBack");

    // The recorder writes in the background: wait until the last event is there.
    const described = await waitFor(
      "the RolledBack event in kubectl describe",
      () => kubectl(kubeconfig, ["describe", "deployment.release.stella.io", "prod-2", "-n", ns]),
      (r) => /Warning\s+RolledBack/.test(r.stdout),
      30_000,
    );
    if (process.env.EVENTS_DESCRIBE_OUT) await writeFile(process.env.EVENTS_DESCRIBE_OUT, described.stdout);
    const events = described.stdout.slice(described.stdout.indexOf("\nEvents:"));
    const order = [
      "Normal +DeploymentStarted",
      "Warning +TargetUnhealthy",
      "Warning +RollingBack",
      "Warning +RolledBack",
    ].map((r) => events.search(new RegExp(r)));
    assert.ok(
      order.every((i) => i > 0),
      events,
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      `in time order:\n${events}`,
    );
    assert.match(events, /Warning\s+TargetUnhealthy\s+\S+\s+deployment-controller\s+target prod-docker: .*healthz/);
    assert.match(events, /Warning\s+RolledBack\s+\S+\s+deployment-controller\s+.*shop-1-5-0/);

    const fromStella = await stella(["describe", "deployment", "prod-2", "-n", ns, "--related=false"], { kubeconfig });
    assert.equal(fromStella.code, 0, fromStella.stderr);
    const table = fromStella.stdout.slice(fromStella.stdout.indexOf("Events:"));
    assert.match(table, /TYPE\s+REASON\s+AGE\s+FROM\s+MESSAGE/);
    assert.match(table, /Warning\s+RolledBack\s+\S+\s+deployment-controller/);

    const kubectlEvents = await kubectl(kubeconfig, [
      "events",
      "-n",
      ns,
      "--for",
      "deployment.release.stella.io/prod-2",
      "--types",
      "Warning",
    ]);
    assert.equal(kubectlEvents.code, 0, kubectlEvents.stderr);
    assert.match(kubectlEvents.stdout, /RolledBack/);
    assert.doesNotMatch(kubectlEvents.stdout, /DeploymentStarted/);
  });
});
