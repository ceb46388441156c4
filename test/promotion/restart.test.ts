// A promotion survives its controller: the controllers run in a child process that is killed with
// SIGKILL while the promotion's deployment rolls out, then started again. The promotion must end
// Succeeded with exactly one Deployment, its finished steps not run again, one decision packet
// and one notification.
import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { dockerTarget, environment, release, waitFor, web, worker } from "../deploy/deploy-env.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
  controllerProcess,
  createAs,
  decide,
  evidenceOf,
  promotion,
  startPromotionEnv,
  waitPromotion,
  webhookReceiver,
  type PromotionEnv,
} from "./promotion-env.ts";

const skip = await estateSkipReason();
const TARGETS = ["k-a", "k-b", "k-c"];

describe("a promotion whose controller is killed mid-way", { skip }, () => {
  let pe: PromotionEnv;
  let ns: string;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  const children: ReturnType<typeof controllerProcess>[] = [];
  before(async () => {
    pe = await startPromotionEnv({ controllers: "none" });
    ns = pe.namespace;
    hook = await webhookReceiver();
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await pe?.stop();
    await hook?.close();
  });

  it("resumes from its status: one deployment, finished steps kept, evidence and notification once", async () => {
    // Healthy only after 3 probes 500 ms apart, so each of the targets takes over a second: time to kill.
    await pe.releases.create(release(ns, "v2", [web("1.5.0", { healthyThreshold: 3 }), worker()]));
    await pe.environments.create(
      environment(ns, "kill", {
        approvals: { required: 1 },
        deployment: { strategy: { type: "Rolling", maxParallel: 1 }, progressDeadline: "2m" },
        notifications: [{ name: "chat", webhook: { url: hook.url } }],
      }),
    );
    for (const t of TARGETS) await pe.targets.create(dockerTarget(ns, t, "kill"));
    children.push(controllerProcess(pe));
    await createAs(pe, promotion(ns, "v2-to-kill", { release: "v2", environment: "kill" }));
    await waitPromotion(pe, "v2-to-kill", ["AwaitingApproval"]);
    assert.equal((await decide(pe, pe.tokens.bob, "v2-to-kill", "Approved")).status, 200);
    const mid = await waitFor(
      "the deployment to have a target done and the next in progress",
      () => pe.deployments.get("v2-to-kill"),
      (d) =>
        (d.status?.targets ?? []).some((t) => t.phase === "Succeeded") &&
        (d.status?.targets ?? []).some((t) => t.phase === "Progressing"),
    );
    const first = children[0];
    first.kill("SIGKILL");
    await once(first, "exit");
    const atKill = await pe.promotions.get("v2-to-kill");
    assert.equal(atKill.status?.phase, "Deploying", `killed while deploying (deployment: ${mid.status?.progress})`);

    children.push(controllerProcess(pe));
    const done = await waitPromotion(
      pe,
      "v2-to-kill",
      ["Succeeded", "Failed", "Errored", "Aborted", "Superseded", "Rejected"],
      120_000,
    );
    assert.equal(done.status?.phase, "Succeeded", done.status?.message);
    const deployments = (await pe.deployments.list()).items.filter((d) => d.spec.environment === "kill");
    assert.deepEqual(
      deployments.map((d) => d.metadata.name),
      ["v2-to-kill"],
      "exactly one deployment",
    );
    assert.equal(deployments[0].metadata.uid, mid.metadata.uid, "the one created before the kill, adopted");
    const step = (name: string) => done.status?.steps?.find((s) => s.name === name);
    assert.deepEqual(
      [step("approval")?.phase, step("approval")?.completedAt],
      ["Succeeded", atKill.status?.steps?.find((s) => s.name === "approval")?.completedAt],
      "the approval step was not run again",
    );
    assert.equal(step("deploy")?.attempts, 1);
    assert.equal(step("deploy")?.startedAt, atKill.status?.steps?.find((s) => s.name === "deploy")?.startedAt);

    await waitFor(
      "the notification",
      () => pe.promotions.get("v2-to-kill"),
      (p) => p.status?.steps?.find((s) => s.name === "notify-chat")?.phase === "Succeeded",
    );
    assert.equal(hook.received.length, 1, "notified once");
    const packets = await evidenceOf(pe, "v2-to-kill");
    assert.equal(packets.filter((e) => e.spec.type === "PromotionDecision").length, 1);
    assert.equal(packets.filter((e) => e.spec.type === "Approval").length, 1);
  });
});
