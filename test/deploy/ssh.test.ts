// Hosts reached over SSH going wrong on the local estate (sshd on 127.0.0.2 and on 127.0.0.4, the
// host only this file stops): the target controller says why a host is not ready (a wrong pinned key
// is HostKeyMismatch, nothing created); a driver whose host goes down fails naming it and reconnects
// on the next call once it is back; and a host whose sshd stops in the middle of a rolling
// deployment makes the deployment wait (transient, retried) and fail at its progress deadline naming
// the host and why, or go on once the host is back. The tests run one after another.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Target } from "../../crds/target.ts";
import { collection } from "../fixtures.ts";
import { sshDriver } from "../../controllers/drivers/ssh/index.ts";
import { DriverReasons, isDriverError } from "../../sdk/plugins/driver.ts";
import {
  DEPLOY_KEY,
  FAULT_HOST,
  hostKey,
  secrets,
  sshSkipReason,
  sshTarget,
  startSshd,
  stopSshd,
} from "../drivers/ssh-estate.ts";
import {
  containers,
  deployment,
  environment,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  web,
  worker,
  type DeployEnv,
} from "./deploy-env.ts";

const skip = await sshSkipReason();
const FINAL = ["Succeeded", "Failed", "RolledBack"];

describe("deployments over SSH on the local estate", { skip }, () => {
  let de: DeployEnv;
  let ns: string;
  before(async () => {
    de = await startDeployEnv();
    ns = de.namespace;
    const written = await de.env.request("POST", collection("secrets", ns), {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Secret",
      metadata: { name: "deploy-ssh-key", namespace: ns },
      stringData: { id_ed25519: await readFile(DEPLOY_KEY, "utf8") },
    });
    assert.equal(written.status, 201, written.text);
    await de.releases.create(release(ns, "shop-1-4-0", [web("1.4.0"), worker()]));
    // healthy only after 20 passing checks (10 s): the first host of a rolling deployment is still
    // in progress well after its units exist, so the second host can be stopped before its turn
    await de.releases.create(release(ns, "slow-1-4-0", [web("1.4.0", { healthyThreshold: 20 }), worker()]));
    await de.releases.create(release(ns, "slow-1-5-0", [web("1.5.0", { healthyThreshold: 20 }), worker()]));
  });
  after(async () => {
    await startSshd(); // whatever happened, both hosts are up again
    await de?.stop();
  });

  const target = (name: string, host: "127.0.0.2" | typeof FAULT_HOST, env: string, extra = {}): Promise<Target> =>
    sshTarget(name, host, extra, { env }, ns);
  const ready = (name: string) =>
    waitFor(
      `target ${name} to be probed`,
      () => de.targets.get(name),
      (t) => t.status?.conditions?.some((c) => c.type === "Ready") ?? false,
    );

  it("a target pinning another host's key is NotReady with HostKeyMismatch; a deployment to it creates nothing there", async () => {
    await de.environments.create(
      environment(ns, "mitm", { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "10s" } }),
    );
    await de.targets.create(await target("ssh-mitm", "127.0.0.2", "mitm", { hostKey: await hostKey("127.0.0.3") }));
    const t = await ready("ssh-mitm");
    const cond = t.status!.conditions!.find((c) => c.type === "Ready")!;
    assert.deepEqual([cond.status, cond.reason], ["False", "HostKeyMismatch"]);
    assert.match(cond.message ?? "", /root@127\.0\.0\.2:2222 presented host key SHA256:/);
    await de.deployments.create(deployment(ns, "m1", { release: "shop-1-4-0", environment: "mitm" }));
    const d = await waitPhase(de, "m1", FINAL);
    assert.notEqual(d.status?.phase, "Succeeded");
    assert.match(JSON.stringify(d.status), /HostKeyMismatch/);
    assert.deepEqual(await containers(ns, { target: "ssh-mitm" }), []);
  });

  it("a host going down drops the connection (Unreachable, naming it); the next call after it is back reconnects", async () => {
    const ctx = secrets({ "deploy-ssh-key/id_ed25519": await readFile(DEPLOY_KEY, "utf8") });
    const driver = await sshDriver.create(await target("ssh-down", FAULT_HOST, "none"), ctx);
    const down = (err: unknown) =>
      isDriverError(err) && err.reason === DriverReasons.Unreachable && /root@127\.0\.0\.4:2222/.test(err.message);
    try {
      await driver.probe();
      try {
        await stopSshd(FAULT_HOST);
        await assert.rejects(driver.observe(), down);
        await assert.rejects(driver.probe(), (err) => down(err) && /ECONNREFUSED/.test((err as Error).message));
      } finally {
        await startSshd();
      }
      assert.equal((await driver.probe()).os, "linux", "the next call opened a new connection");
    } finally {
      await driver.close();
    }
  });

  /**
   * Waits until the first host's units exist (the rollout is under way), then stops FAULT_HOST's
   * sshd; fails when the rollout already reached the second host (the test would prove nothing).
   */
  async function stopSecondHostMidway(environmentName: string, name: string): Promise<void> {
    await waitFor(
      "the first host's units",
      () => containers(ns, { environment: environmentName, target: `${environmentName}-a` }),
      (rows) => rows.length > 0,
    );
    await stopSshd(FAULT_HOST);
    const second = (await de.deployments.get(name)).status?.targets?.find((t) => t.name === `${environmentName}-b`);
    assert.ok(
      !second?.startedAt || second.phase !== "Succeeded",
      `${name} reached the second host before it was stopped`,
    );
  }

  it("sshd stopped mid-rollout: the host's target waits (Unreachable, naming it) and fails at the progress deadline", async () => {
    await de.environments.create(
      environment(ns, "stg", {
        deployment: { strategy: { type: "Rolling", maxParallel: 1, maxUnavailable: 0 }, progressDeadline: "20s" },
      }),
    );
    await de.targets.create(await target("stg-a", "127.0.0.2", "stg"));
    await de.targets.create(await target("stg-b", FAULT_HOST, "stg"));
    await ready("stg-a");
    await ready("stg-b");
    await de.deployments.create(deployment(ns, "s1", { release: "slow-1-4-0", environment: "stg" }));
    try {
      await stopSecondHostMidway("stg", "s1");
      const d = await waitPhase(de, "s1", FINAL);
      assert.notEqual(d.status?.phase, "Succeeded");
      const b = d.status?.targets?.find((t) => t.name === "stg-b");
      assert.equal(b?.phase, "Failed", JSON.stringify(d.status?.targets));
      assert.match(b?.message ?? "", /Unreachable: .*root@127\.0\.0\.4:2222/);
      const down = await waitFor(
        "stg-b NotReady",
        () => de.targets.get("stg-b"),
        (t) => t.status?.conditions?.some((c) => c.type === "Ready" && c.status === "False") ?? false,
      );
      assert.match(down.status!.conditions!.find((c) => c.type === "Ready")!.message ?? "", /127\.0\.0\.4:2222/);
    } finally {
      await startSshd();
    }
  });

  it("sshd stopped mid-rollout and started again before the deadline: the deployment retries and succeeds", async () => {
    await de.environments.create(
      environment(ns, "prd", {
        deployment: { strategy: { type: "Rolling", maxParallel: 1, maxUnavailable: 0 }, progressDeadline: "2m" },
      }),
    );
    await de.targets.create(await target("prd-a", "127.0.0.2", "prd"));
    await de.targets.create(await target("prd-b", FAULT_HOST, "prd"));
    await de.deployments.create(deployment(ns, "p1", { release: "slow-1-5-0", environment: "prd" }));
    try {
      await stopSecondHostMidway("prd", "p1");
      await waitFor(
        "p1 to say prd-b is unreachable",
        () => de.deployments.get("p1"),
        (d) =>
          /Unreachable: .*127\.0\.0\.4:2222/.test(d.status?.targets?.find((t) => t.name === "prd-b")?.message ?? ""),
      );
    } finally {
      await startSshd();
    }
    const d = await waitPhase(de, "p1", FINAL);
    assert.equal(d.status?.phase, "Succeeded", JSON.stringify(d.status?.targets));
    const running = await containers(ns, { environment: "prd" });
    assert.deepEqual(running.map((c) => c.labels["stella.io/target"]).sort(), ["prd-a", "prd-a", "prd-b", "prd-b"]);
  });
});
