// Failure paths on the local estate: an unhealthy release rolled back automatically (with the old
// units still running, and after they were stopped first), the progress deadline, abort, a
// rollback deployment, supersede of a queued deployment, and a target whose engine is unreachable.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { evidencePacketKind, type EvidencePacket } from "../../crds/evidence-packet.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
  containers,
  deployment,
  dockerTarget,
  environment,
  hostPort,
  page,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  web,
  worker,
  type DeployEnv,
} from "./deploy-env.ts";

const skip = await estateSkipReason();
const DONE = ["Succeeded", "Failed", "RolledBack", "Aborted", "Superseded"];

describe("deployment failures, rollback and control on the local estate", { skip }, () => {
  let de: DeployEnv;
  let ns: string;
  before(async () => {
    de = await startDeployEnv();
    ns = de.namespace;
    await de.releases.create(release(ns, "good", [web("1.4.0"), worker()]));
    await de.releases.create(release(ns, "newer", [web("1.5.0"), worker()]));
    await de.releases.create(release(ns, "broken", [web("1.6.0-broken"), worker()]));
    // Never healthy and slow to be judged unhealthy: holds a rollout in Progressing.
    await de.releases.create(release(ns, "stuck", [web("1.6.0-broken", { unhealthyThreshold: 100000 }), worker()]));
  });
  after(async () => await de?.stop());

  /** An environment `name` with one docker target, running `good` after deployment `<name>-0`. */
  async function envWithGood(name: string, strategy: object, extra: object = {}): Promise<void> {
    await de.environments.create(
      environment(ns, name, {
        deployment: { strategy: strategy as never, progressDeadline: "1m", autoRollback: true },
        ...extra,
      }),
    );
    await de.targets.create(dockerTarget(ns, `${name}-docker`, name));
    await de.deployments.create(deployment(ns, `${name}-0`, { release: "good", environment: name }));
    assert.equal((await waitPhase(de, `${name}-0`, DONE)).status?.phase, "Succeeded");
  }
  const webPort = async (env: string): Promise<number> =>
    hostPort((await containers(ns, { environment: env })).find((c) => c.labels["stella.io/component"] === "web")!);

  it("rolls an unhealthy release back at once while the previous units still run", async () => {
    await envWithGood("auto", { type: "AllAtOnce" });
    await de.deployments.create(deployment(ns, "auto-1", { release: "broken", environment: "auto" }));
    const d = await waitPhase(de, "auto-1", DONE);
    assert.equal(d.status?.phase, "RolledBack", d.status?.message);
    assert.equal(d.status?.rollback?.release, "good");
    assert.match(d.status?.rollback?.reason ?? "", /web is unhealthy: GET http:\/\/127\.0\.0\.1:\d+\/healthz/);
    assert.equal(d.status?.conditions?.find((c) => c.type === "RolledBack")?.status, "True");
    assert.match(d.status?.targets?.[0].message ?? "", /still running/);
    const packet = await de.admin.resource<EvidencePacket>(evidencePacketKind).get(d.status?.evidence?.at(-1) ?? "");
    assert.equal(packet.spec.type, "Rollback");
    assert.equal(packet.spec.decision.outcome, "RolledBack");
    assert.match(packet.spec.decision.message ?? "", /rolled back to good/);
    const left = await containers(ns, { environment: "auto" });
    assert.ok(
      left.every((c) => c.labels["stella.io/release"] === "good"),
      left.map((c) => c.name).join(", "),
    );
    assert.equal(left.length, 2);
    assert.equal(await page(await webPort("auto")), "1.4.0");
    const env = await waitFor(
      "auto to show good again",
      () => de.environments.get("auto"),
      (e) => e.status?.current?.deployment === "auto-1",
    );
    assert.equal(env.status?.current?.release, "good");
    assert.equal(env.status?.current?.rollback, true);
  });

  it("starts the previous release again when the strategy had stopped it first (maxUnavailable 1)", async () => {
    await envWithGood("stopfirst", { type: "Rolling", maxUnavailable: 1 });
    await de.deployments.create(deployment(ns, "stopfirst-1", { release: "broken", environment: "stopfirst" }));
    const d = await waitPhase(de, "stopfirst-1", DONE);
    assert.equal(d.status?.phase, "RolledBack", d.status?.message);
    assert.match(d.status?.targets?.[0].message ?? "", /good runs again/);
    assert.equal(await page(await webPort("stopfirst")), "1.4.0");
  });

  it("fails on the progress deadline and rolls back", async () => {
    await envWithGood("deadline", { type: "AllAtOnce" });
    await de.deployments.create(
      deployment(ns, "deadline-1", { release: "stuck", environment: "deadline", progressDeadline: "3s" }),
    );
    const d = await waitPhase(de, "deadline-1", DONE);
    assert.equal(d.status?.phase, "RolledBack");
    assert.equal(d.status?.conditions?.find((c) => c.type === "Progressing")?.reason, "RolledBack");
    assert.match(d.status?.rollback?.reason ?? "", /^no progress for 3s; deadline-docker: /);
    assert.equal(await page(await webPort("deadline")), "1.4.0");
  });

  it("aborts on request and goes back to the previous release", async () => {
    await envWithGood("abort", { type: "AllAtOnce" });
    await de.deployments.create(deployment(ns, "abort-1", { release: "stuck", environment: "abort" }));
    await waitFor(
      "abort-1 to progress",
      () => de.deployments.get("abort-1"),
      (d) => d.status?.targets?.[0]?.phase === "Progressing",
    );
    await de.deployments.patch("abort-1", { spec: { abort: true } }, { type: "merge" });
    const d = await waitPhase(de, "abort-1", DONE);
    assert.equal(d.status?.phase, "Aborted", d.status?.message);
    assert.equal(d.status?.rollback?.reason, "aborted by request");
    assert.equal(await page(await webPort("abort")), "1.4.0");
  });

  it("a rollback deployment puts the earlier release back", async () => {
    await envWithGood("back", { type: "AllAtOnce" });
    await de.deployments.create(deployment(ns, "back-1", { release: "newer", environment: "back" }));
    assert.equal((await waitPhase(de, "back-1", DONE)).status?.phase, "Succeeded");
    assert.equal(await page(await webPort("back")), "1.5.0");
    const env = await waitFor(
      "back to show newer",
      () => de.environments.get("back"),
      (e) => e.status?.current?.release === "newer",
    );
    assert.equal(env.status?.previous?.release, "good");
    await de.deployments.create(deployment(ns, "back-2", { release: "good", environment: "back", rollback: true }));
    assert.equal((await waitPhase(de, "back-2", DONE)).status?.phase, "Succeeded");
    assert.equal(await page(await webPort("back")), "1.4.0");
    await waitFor(
      "back to show good, by rollback",
      () => de.environments.get("back"),
      (e) => e.status?.current?.release === "good" && e.status.current.rollback === true,
    );
    // Who asked is the server's record (from the token), and the evidence names them beside the controller.
    const back2 = await de.deployments.get("back-2");
    assert.equal(back2.spec.requestedBy?.username, "admin");
    const packet = await de.admin.resource<EvidencePacket>(evidencePacketKind).get(back2.status?.evidence?.[0] ?? "");
    assert.equal(packet.spec.type, "Rollback");
    assert.equal((packet.spec.details as { requestedBy?: string }).requestedBy, "admin");
  });

  it("one deployment per environment: a queued one waits naming the holder, and a newer one supersedes it", async () => {
    await envWithGood("queue", { type: "AllAtOnce" });
    await de.deployments.create(deployment(ns, "queue-hold", { release: "stuck", environment: "queue" }));
    await waitFor(
      "queue-hold to progress",
      () => de.deployments.get("queue-hold"),
      (d) => d.status?.phase === "Progressing",
    );
    await de.deployments.create(deployment(ns, "queue-2", { release: "newer", environment: "queue" }));
    const waiting = await waitFor(
      "queue-2 to wait",
      () => de.deployments.get("queue-2"),
      (d) => d.status?.waitingFor === "queue-hold",
    );
    assert.equal(waiting.status?.phase, "Pending");
    assert.match(waiting.status?.message ?? "", /waiting for deployment queue-hold, which holds environment queue/);
    await new Promise((r) => setTimeout(r, 1100)); // creation timestamps have second precision
    await de.deployments.create(deployment(ns, "queue-3", { release: "newer", environment: "queue" }));
    const superseded = await waitPhase(de, "queue-2", DONE);
    assert.equal(superseded.status?.phase, "Superseded");
    assert.equal(superseded.status?.supersededBy, "queue-3");
    await de.deployments.patch("queue-hold", { spec: { abort: true } }, { type: "merge" });
    assert.equal((await waitPhase(de, "queue-hold", DONE)).status?.phase, "Aborted");
    assert.equal((await waitPhase(de, "queue-3", DONE)).status?.phase, "Succeeded");
    assert.equal(await page(await webPort("queue")), "1.5.0");
  });

  it("a target whose engine is unreachable fails the deployment at the progress deadline, naming why", async () => {
    await de.environments.create(
      environment(ns, "gone", { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "3s" } }),
    );
    await de.targets.create(dockerTarget(ns, "gone-docker", "gone", "/run/stella-test-no-such/docker.sock"));
    await de.deployments.create(deployment(ns, "gone-1", { release: "good", environment: "gone" }));
    const d = await waitPhase(de, "gone-1", DONE);
    assert.equal(d.status?.phase, "Failed");
    assert.match(d.status?.message ?? "", /Unreachable/);
    assert.match(d.status?.message ?? "", /no previous release to roll back to/);
  });
});
