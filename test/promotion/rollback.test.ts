// A manual rollback as an ordinary promotion (`stella rollback ENV --promote`) on the local estate:
// it skips the soak and approval gates exactly where the environment's spec.promotion.rollback
// says so, and leaves the same evidence as any promotion, marked as a rollback.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { withToken } from "../cli/kubeconfigs.ts";
import { stella } from "../cli/run-stella.ts";
import {
  containers,
  dockerTarget,
  environment,
  hostPort,
  page,
  release,
  waitFor,
  web,
  worker,
} from "../deploy/deploy-env.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
  abortAs,
  createAs,
  decide,
  evidenceOf,
  promotion,
  startPromotionEnv,
  waitMessage,
  waitPromotion,
  type PromotionEnv,
} from "./promotion-env.ts";

const skip = await estateSkipReason();
const ENDED = ["Succeeded", "Failed", "Errored", "Rejected", "Aborted", "Superseded"];

describe("a rollback promotion", { skip }, () => {
  let pe: PromotionEnv;
  let ns: string;
  let alice: string;
  const landed = async (name: string, rel: string, env: string) => {
    await createAs(pe, promotion(ns, name, { release: rel, environment: env }));
    const p = await waitPromotion(pe, name, ENDED);
    assert.equal(p.status?.phase, "Succeeded", `${name}: ${p.status?.message}`);
  };
  const version = async () => {
    const unit = (await containers(ns, { environment: "live" })).find((c) => c.labels["stella.io/component"] === "web");
    return unit && (await page(hostPort(unit)));
  };
  /**
   * Merges `spec` into live's spec (a merge patch: the environment controller writes its status
   * meanwhile), then waits until the environment controller has seen that generation — its watch
   * and the promotion controller's deliver the same event, so the promotion after it reads the policy.
   */
  const policy = async (spec: Record<string, unknown>) => {
    const { metadata } = await pe.environments.patch("live", { spec }, { type: "merge" });
    await waitFor(
      "live's controllers to see the policy",
      () => pe.environments.get("live"),
      (e) =>
        (e.status?.conditions ?? []).some(
          (c) => c.type === "Ready" && (c.observedGeneration ?? 0) >= (metadata.generation ?? 0),
        ),
    );
  };
  /** `stella rollback live --promote …` as alice (operator and approver); the created promotion's name. */
  const rollback = async (...args: string[]) => {
    const r = await stella(["rollback", "live", "--promote", "-n", ns, "-o", "name", ...args], { kubeconfig: alice });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split("/")[1];
  };

  before(async () => {
    pe = await startPromotionEnv();
    ns = pe.namespace;
    alice = await withToken(pe.env.server.kubeconfigPath, `alice-${ns}.kubeconfig`, pe.tokens.alice);
    await pe.releases.create(release(ns, "good", [web("1.4.0"), worker()]));
    await pe.releases.create(release(ns, "newer", [web("1.5.0"), worker()]));
    const deployment = { strategy: { type: "AllAtOnce" as const }, progressDeadline: "1m", autoRollback: true };
    await pe.environments.create(environment(ns, "pre", { deployment }));
    await pe.environments.create(environment(ns, "live", { deployment }));
    await pe.targets.create(dockerTarget(ns, "pre-docker", "pre"));
    await pe.targets.create(dockerTarget(ns, "live-docker", "live"));
    // good then newer land in both; only then does live get its policy: pre upstream, an hour's
    // soak there (which neither release can still meet: newer replaced good, and newer is minutes
    // old) and one approval by someone other than the requester.
    for (const [rel, env] of [
      ["good", "pre"],
      ["newer", "pre"],
      ["good", "live"],
      ["newer", "live"],
    ])
      await landed(`${rel}-to-${env}`, rel, env);
    assert.equal(await version(), "1.5.0");
    await policy({ upstream: ["pre"], requiredSoak: "1h", approvals: { required: 1, separationOfDuties: true } });
  });
  after(async () => await pe?.stop());

  it("skips soak and approvals where the policy allows, and says so in its gates and evidence", async () => {
    await policy({ promotion: { rollback: { skipSoak: true, skipApprovals: true } } });
    const name = await rollback("--reason", "1.5.0 doubles checkout latency");
    const p = await waitPromotion(pe, name, ENDED);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    assert.deepEqual([p.spec.release, p.spec.rollback, p.spec.requestedBy?.username], ["good", true, "alice"]);
    assert.deepEqual(
      p.status?.gates?.map((g) => [g.name, g.verdict]),
      [
        ["upstream", "Passed"],
        ["soak", "Skipped"],
        ["approval", "Skipped"],
      ],
    );
    assert.match(
      p.status?.gates?.find((g) => g.name === "soak")?.message ?? "",
      /^rollback promotion: environment live sets promotion\.rollback\.skipSoak/,
    );
    assert.match(
      p.status?.gates?.find((g) => g.name === "approval")?.message ?? "",
      /^rollback promotion: environment live sets promotion\.rollback\.skipApprovals, so its 1 approval\(s\) are not required$/,
    );
    assert.equal(p.status?.approvals, undefined, "nobody approved");
    assert.equal(
      (await pe.deployments.get(p.status?.deployment ?? "")).spec.rollback,
      true,
      "the deployment it made is marked as a rollback",
    );
    assert.equal(await version(), "1.4.0");
    const packets = await waitFor(
      "the decision's evidence",
      () => evidenceOf(pe, name),
      (e) => e.some((x) => x.spec.type === "PromotionDecision"),
    );
    const decision = packets.find((e) => e.spec.type === "PromotionDecision")!;
    assert.equal(decision.spec.decision.outcome, "Succeeded");
    const details = decision.spec.details as { rollback?: boolean; requestedBy?: string; reason?: string };
    assert.deepEqual(
      [details.rollback, details.requestedBy, details.reason],
      [true, "alice", "1.5.0 doubles checkout latency"],
    );
    assert.equal(
      packets.find((e) => e.spec.type === "GateVerdict" && (e.spec.details as { gate?: string }).gate === "approval")
        ?.spec.decision.outcome,
      "Skipped",
    );
  });

  it("waits for approval where the policy skips only the soak, and the requester cannot approve it", async () => {
    await policy({ promotion: { rollback: { skipSoak: true, skipApprovals: null } } });
    const name = await rollback("--to", "newer");
    const waiting = await waitMessage(pe, name, /^approval: waiting for 1 more approval \(0\/1\)/);
    assert.equal(waiting.status?.phase, "AwaitingApproval", waiting.status?.message);
    assert.deepEqual(
      waiting.status?.gates?.map((g) => [g.name, g.verdict]),
      [
        ["upstream", "Passed"],
        ["soak", "Skipped"],
        ["approval", "Pending"],
      ],
    );
    assert.equal(await version(), "1.4.0", "nothing deployed while it waits");
    const own = await decide(pe, pe.tokens.alice, name, "Approved");
    assert.equal(own.status, 403, "separation of duties holds for rollbacks too");
    assert.match(own.text, /separation of duties/);
    assert.equal((await decide(pe, pe.tokens.bob, name, "Approved", "back to 1.5.0")).status, 200);
    const p = await waitPromotion(pe, name, ENDED);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    assert.equal(await version(), "1.5.0");
  });

  it("a 'rollback' to a release that never ran in live skips nothing, says why, and cannot be unmarked", async () => {
    await pe.releases.create(release(ns, "fresh", [web("1.5.0"), worker()]));
    await landed("fresh-to-pre", "fresh", "pre");
    await policy({ promotion: { rollback: { skipSoak: true, skipApprovals: true } } });
    const name = await rollback("--to", "fresh");
    const held = await waitMessage(
      pe,
      name,
      /^soak: release fresh has run in pre for \S+ of the required 1h \(not skipped although promotion\.rollback\.skipSoak is set: release fresh never ran in environment live, so this is no rollback\)$/,
    );
    assert.equal(held.status?.phase, "Evaluating");
    assert.equal(held.status?.deployment, undefined);
    const unmark = await pe.env.request(
      "PATCH",
      `/apis/release.stella.io/v1alpha1/namespaces/${ns}/promotions/${name}`,
      { spec: { rollback: false } },
      { authorization: `Bearer ${pe.tokens.alice}`, "content-type": "application/merge-patch+json" },
    );
    assert.equal(unmark.status, 422, unmark.text);
    assert.equal(unmark.body.details.causes[0].field, "spec.rollback");
    await abortAs(pe, name);
    assert.equal((await waitPromotion(pe, name, ENDED)).status?.phase, "Aborted");
  });

  it("without a rollback policy it is held by the soak like any promotion: it fails, as waiting cannot help", async () => {
    await policy({ promotion: null });
    const name = await rollback("--to", "good");
    const p = await waitPromotion(pe, name, ENDED);
    assert.equal(p.status?.phase, "Failed", p.status?.message);
    assert.match(p.status?.message ?? "", /^gate soak: /);
    assert.equal(p.status?.deployment, undefined);
    assert.equal(await version(), "1.5.0");
  });
});
