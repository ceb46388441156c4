// Issue 11, "approve, then swap the release", against the real apiserver and controllers on the
// local estate: the requester can neither collect approvals before the promotion's target is
// settled nor swap what is promoted after people approved it. Replacing the release object behind
// the name (other digests) voids the approvals given for the old bytes; nothing is deployed on
// them, and the gate and its evidence say which approvals were voided and why.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dockerTarget, environment, release, waitFor, web } from "../deploy/deploy-env.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
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

describe("approve, then swap the release", { skip }, () => {
  let pe: PromotionEnv;
  let ns: string;
  before(async () => {
    pe = await startPromotionEnv();
    ns = pe.namespace;
    await pe.releases.create(release(ns, "evil", [web("1.5.0")]));
    await pe.environments.create(
      environment(ns, "prod", {
        approvals: { required: 2, separationOfDuties: true },
        deployment: { strategy: { type: "AllAtOnce" } },
      }),
    );
    await pe.targets.create(dockerTarget(ns, "prod-docker", "prod"));
  });
  after(() => pe?.stop());

  const patchRelease = (name: string, rel: string) =>
    pe.env.request(
      "PATCH",
      `/apis/release.stella.io/v1alpha1/namespaces/${ns}/promotions/${name}`,
      { spec: { release: rel } },
      {
        authorization: `Bearer ${pe.tokens.alice}`,
        "content-type": "application/merge-patch+json",
      },
    );

  it("refuses approvals while the release is still resolving, and any swap of the release", async () => {
    // "good" does not exist yet: the promotion waits in Pending, where the attack collected approvals.
    await createAs(pe, promotion(ns, "to-prod", { release: "good", environment: "prod" }));
    await waitMessage(pe, "to-prod", /release good not found/);
    const early = await decide(pe, pe.tokens.bob, "to-prod", "Approved");
    assert.equal(early.status, 409, early.text);
    assert.match(early.body.message, /the promotion is Pending/);
    const swap = await patchRelease("to-prod", "evil");
    assert.equal(swap.status, 422, swap.text);
    assert.equal(swap.body.details.causes[0].field, "spec.release");
  });

  it("voids approvals given for other bytes under the same release name; nothing deploys on them", async () => {
    await pe.releases.create(release(ns, "good", [web("1.4.0")]));
    await waitPromotion(pe, "to-prod", ["AwaitingApproval"]);
    assert.equal((await decide(pe, pe.tokens.bob, "to-prod", "Approved", "1.4.0 is good")).status, 200);
    // The requester replaces release "good" with the bytes of 1.5.0, then a second approver approves.
    await pe.releases.delete("good");
    await waitFor(
      "good to be gone",
      () => pe.releases.list({ fieldSelector: "metadata.name=good" }),
      (l) => l.items.length === 0,
    );
    await pe.releases.create(release(ns, "good", [web("1.5.0")]));
    await waitFor(
      "the new good to resolve",
      () => pe.releases.get("good"),
      (r) => (r.status?.conditions ?? []).some((c) => c.type === "Resolved" && c.status === "True"),
    );
    assert.equal((await decide(pe, pe.tokens.carol, "to-prod", "Approved")).status, 200);
    // Counted once carol's approval is in: hers counts, bob's (for the old bytes) does not.
    const held = await waitMessage(
      pe,
      "to-prod",
      /\(1\/2\).*not counted: bob \(void: release good now has other digests/,
    );
    assert.equal(held.status?.phase, "AwaitingApproval");
    const gate = held.status?.gates?.find((g) => g.name === "approval");
    assert.deepEqual(
      (gate?.inputs?.voided as { user: string }[]).map((v) => v.user),
      ["bob"],
    );
    assert.deepEqual(gate?.inputs?.approvedBy, ["carol"]);
    assert.equal(
      (await pe.deployments.list({ labelSelector: "stella.io/promotion=to-prod" })).items.length,
      0,
      "no deployment on a voided approval",
    );

    // bob approves what the release is now; the promotion goes on, and the evidence keeps both bindings.
    assert.equal((await decide(pe, pe.tokens.bob, "to-prod", "Approved", "1.5.0 is fine too")).status, 200);
    const p = await waitPromotion(pe, "to-prod", ENDED, 120_000);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    const packets = await waitFor(
      "the decision's evidence",
      () => evidenceOf(pe, "to-prod"),
      (e) => e.some((x) => x.spec.type === "PromotionDecision"),
    );
    const approvals = packets.filter((x) => x.spec.type === "Approval");
    assert.deepEqual(
      approvals.map((x) => x.spec.actor?.username).sort(),
      ["bob", "bob", "carol"],
      packets.map((x) => x.metadata.name).join("\n"),
    );
    const bindings = approvals.map((x) => x.spec.details?.binding as { digests: string[] });
    assert.equal(
      new Set(bindings.map((b) => b.digests.join())).size,
      2,
      "approvals name the digests they were given for",
    );
  });
});
