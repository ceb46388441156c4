// The other ends of a promotion on the local estate: Rejected by an approver, held by a freeze
// window, Superseded by a newer promotion, Aborted before and during its deployment, Failed when
// the release is bad and its deployment rolls back, Errored when its target is unreachable, and
// a promotion made by auto-promotion.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
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

describe("how promotions end on the local estate", { skip }, () => {
  let pe: PromotionEnv;
  let ns: string;
  const create = (name: string, rel: string, env: string, extra: object = {}) =>
    createAs(pe, promotion(ns, name, { release: rel, environment: env, ...extra }));
  before(async () => {
    pe = await startPromotionEnv();
    ns = pe.namespace;
    await pe.releases.create(release(ns, "good", [web("1.4.0"), worker()]));
    await pe.releases.create(release(ns, "newer", [web("1.5.0"), worker()]));
    await pe.releases.create(release(ns, "broken", [web("1.6.0-broken"), worker()]));
    // Never healthy and slow to be judged unhealthy: holds a deployment in Progressing.
    await pe.releases.create(release(ns, "stuck", [web("1.6.0-broken", { unhealthyThreshold: 100000 }), worker()]));
  });
  after(async () => await pe?.stop());

  /** Environment `name` with one docker target, running `good` through promotion `<name>-good`. */
  async function envWithGood(name: string, spec: object = {}): Promise<void> {
    await pe.environments.create(
      environment(ns, name, {
        deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "1m", autoRollback: true },
        ...spec,
      }),
    );
    await pe.targets.create(dockerTarget(ns, `${name}-docker`, name));
    await create(`${name}-good`, "good", name);
    const p = await waitPromotion(pe, `${name}-good`, ENDED);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
  }

  it("ends Rejected when an approver rejects, without deploying", async () => {
    await pe.environments.create(environment(ns, "qa", { approvals: { required: 1 } }));
    await create("qa-1", "good", "qa");
    await waitMessage(pe, "qa-1", /^approval: waiting for 1 more approval \(0\/1\)$/);
    const res = await decide(pe, pe.tokens.carol, "qa-1", "Rejected", "release notes missing");
    assert.equal(res.status, 200, res.text);
    const p = await waitPromotion(pe, "qa-1", ENDED);
    assert.equal(p.status?.phase, "Rejected");
    assert.equal(p.status?.message, "rejected by carol: release notes missing");
    assert.equal(p.status?.deployment, undefined);
    assert.equal((await pe.deployments.list({ labelSelector: "stella.io/promotion=qa-1" })).items.length, 0);
    const packets = await waitFor(
      "the decision's evidence",
      () => evidenceOf(pe, "qa-1"),
      (e) => e.some((x) => x.spec.type === "PromotionDecision"),
    );
    const rejection = packets.find((e) => e.spec.type === "Rejection");
    assert.equal(rejection?.spec.actor?.username, "carol");
    assert.equal(packets.find((e) => e.spec.type === "PromotionDecision")?.spec.decision.outcome, "Rejected");
  });

  it("waits while a freeze window is open, and goes on once the environment lifts it", async () => {
    await pe.environments.create(
      environment(ns, "frozen", {
        freezeWindows: [{ name: "always", rrule: "FREQ=HOURLY", duration: "1h", reason: "release freeze" }],
      }),
    );
    await pe.targets.create(dockerTarget(ns, "frozen-docker", "frozen"));
    await create("frozen-1", "good", "frozen");
    const held = await waitMessage(pe, "frozen-1", /^freeze: /);
    assert.equal(held.status?.phase, "Evaluating");
    assert.match(held.status?.message ?? "", /^freeze: frozen by window .*always.* until .*: release freeze$/);
    assert.equal((await pe.deployments.list({ labelSelector: "stella.io/promotion=frozen-1" })).items.length, 0);
    const env = await pe.environments.get("frozen");
    await pe.environments.update({ ...env, spec: { ...env.spec, freezeWindows: undefined } });
    const p = await waitPromotion(pe, "frozen-1", ENDED);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    assert.equal(p.status?.gates?.find((g) => g.name === "freeze")?.message, "no freeze windows");
  });

  it("supersedes a waiting promotion with a newer one, and aborts one that has not deployed", async () => {
    await pe.environments.create(environment(ns, "uat", { approvals: { required: 1 } }));
    await create("uat-old", "good", "uat");
    await waitPromotion(pe, "uat-old", ["AwaitingApproval"]);
    await create("uat-new", "newer", "uat");
    const old = await waitPromotion(pe, "uat-old", ENDED);
    assert.equal(old.status?.phase, "Superseded");
    assert.equal(old.status?.supersededBy, "uat-new");
    assert.match(old.status?.message ?? "", /^superseded by promotion uat-new \(release newer\)/);
    const late = await decide(pe, pe.tokens.bob, "uat-old", "Approved");
    assert.equal(late.status, 409, "a superseded promotion takes no approvals");

    await waitPromotion(pe, "uat-new", ["AwaitingApproval"]);
    await abortAs(pe, "uat-new");
    const aborted = await waitPromotion(pe, "uat-new", ENDED);
    assert.equal(aborted.status?.phase, "Aborted");
    assert.equal(aborted.status?.message, "aborted by request before deploying");
    assert.equal((await pe.deployments.list({ labelSelector: "stella.io/environment=uat" })).items.length, 0);
  });

  it("fails when the release is bad: its deployment rolls back and the previous release runs again", async () => {
    await envWithGood("shop");
    await create("shop-broken", "broken", "shop");
    const p = await waitPromotion(pe, "shop-broken", ENDED);
    assert.equal(p.status?.phase, "Failed", p.status?.message);
    assert.match(
      p.status?.message ?? "",
      /^deployment shop-broken rolled back to good: shop-docker: web is unhealthy: GET http:\/\/127\.0\.0\.1:\d+\/healthz/,
    );
    assert.equal(p.status?.conditions?.find((c) => c.type === "Deployed")?.status, "False");
    assert.equal((await pe.deployments.get("shop-broken")).status?.phase, "RolledBack");
    const unit = (await containers(ns, { environment: "shop" })).find(
      (c) => c.labels["stella.io/component"] === "web",
    )!;
    assert.equal(await page(hostPort(unit)), "1.4.0");
    const decision = await waitFor(
      "the decision's evidence",
      () => evidenceOf(pe, "shop-broken"),
      (e) => e.some((x) => x.spec.type === "PromotionDecision"),
    );
    assert.equal(decision.find((e) => e.spec.type === "PromotionDecision")?.spec.decision.outcome, "Failed");
  });

  it("errors, not fails, when the deployment fails because its target is unreachable", async () => {
    await pe.environments.create(environment(ns, "gone", { deployment: { progressDeadline: "3s" } }));
    await pe.targets.create(dockerTarget(ns, "gone-docker", "gone", "/nonexistent/docker.sock"));
    await create("gone-1", "good", "gone");
    const p = await waitPromotion(pe, "gone-1", ENDED);
    assert.equal(p.status?.phase, "Errored", p.status?.message);
    assert.match(
      p.status?.message ?? "",
      /^deployment gone-1 failed while target\(s\) gone-docker \(.+\) were unreachable/,
    );
    assert.equal(p.status?.conditions?.find((c) => c.type === "Complete")?.reason, "Errored");
  });

  it("aborts a running deployment when the promotion is aborted", async () => {
    await envWithGood("ab");
    await create("ab-stuck", "stuck", "ab");
    await waitFor(
      "ab-stuck's deployment to progress",
      () => pe.deployments.get("ab-stuck"),
      (d) => d.status?.targets?.[0]?.phase === "Progressing",
    );
    await abortAs(pe, "ab-stuck");
    const p = await waitPromotion(pe, "ab-stuck", ENDED);
    assert.equal(p.status?.phase, "Aborted");
    assert.match(
      p.status?.message ?? "",
      /^aborted by request; deployment ab-stuck ended Aborted: rolled back to good/,
    );
    const d = await pe.deployments.get("ab-stuck");
    assert.deepEqual([d.spec.abort, d.status?.phase], [true, "Aborted"]);
    const unit = (await containers(ns, { environment: "ab" })).find((c) => c.labels["stella.io/component"] === "web")!;
    assert.equal(await page(hostPort(unit)), "1.4.0");
  });

  it("auto-promotes a release that succeeded upstream, once, as the controller", async () => {
    await pe.environments.create(environment(ns, "auto-dev"));
    await pe.environments.create(
      environment(ns, "auto-stage", { upstream: ["auto-dev"], promotion: { autoPromote: true } }),
    );
    await pe.targets.create(dockerTarget(ns, "auto-dev-docker", "auto-dev"));
    await pe.targets.create(dockerTarget(ns, "auto-stage-docker", "auto-stage"));
    await create("newer-to-auto-dev", "newer", "auto-dev");
    assert.equal((await waitPromotion(pe, "newer-to-auto-dev", ENDED)).status?.phase, "Succeeded");
    const auto = await waitFor(
      "the auto-promotion",
      () => pe.promotions.list({ labelSelector: "stella.io/environment=auto-stage" }),
      (l) => l.items.length > 0,
    );
    assert.deepEqual(
      auto.items.map((p) => p.metadata.name),
      ["newer-to-auto-stage"],
    );
    const p = await waitPromotion(pe, "newer-to-auto-stage", ENDED);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    assert.equal(p.spec.requestedBy?.username, "stella-controllers");
    assert.match(p.spec.reason ?? "", /^auto-promotion: release newer succeeded in auto-dev/);
    assert.equal(
      (await pe.promotions.list({ labelSelector: "stella.io/environment=auto-stage" })).items.length,
      1,
      "created once",
    );
  });
});
