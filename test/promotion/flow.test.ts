// The path of a release from dev to staging on the local estate, through the real apiserver and
// controllers: staging's promotion waits for dev (upstream), then for dev's soak, then for an
// approval by someone other than its author (who is refused), deploys, verifies, notifies a
// webhook with a signed payload, and leaves evidence for every decision.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { policyDigest } from "../../crds/environment-policy.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
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
  createAs,
  decide,
  evidenceOf,
  promotion,
  startPromotionEnv,
  waitMessage,
  waitPromotion,
  webhookReceiver,
  type PromotionEnv,
} from "./promotion-env.ts";

const skip = await estateSkipReason();

describe("a release promoted from dev to staging", { skip }, () => {
  let pe: PromotionEnv;
  let ns: string;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  before(async () => {
    pe = await startPromotionEnv();
    ns = pe.namespace;
    hook = await webhookReceiver();
    await pe.admin.resource<Secret>(secretKind).create({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Secret",
      metadata: { name: "hook-key", namespace: ns },
      stringData: { key: "hook-signing-secret" },
    } as Secret);
    await pe.releases.create(release(ns, "v1", [web("1.4.0"), worker()]));
    await pe.environments.create(environment(ns, "dev"));
    await pe.environments.create(
      environment(ns, "staging", {
        upstream: ["dev"],
        requiredSoak: "2s",
        approvals: { required: 1, separationOfDuties: true },
        notifications: [
          { name: "chat", webhook: { url: hook.url, signingSecretRef: { name: "hook-key", key: "key" } } },
        ],
      }),
    );
    await pe.targets.create(dockerTarget(ns, "dev-docker", "dev"));
    await pe.targets.create(dockerTarget(ns, "staging-docker", "staging"));
  });
  after(async () => {
    await pe?.stop();
    await hook?.close();
  });

  it("waits for dev, then dev's soak, then an approval by someone else, then deploys and verifies", async () => {
    await createAs(
      pe,
      promotion(ns, "v1-to-staging", { release: "v1", environment: "staging", reason: "weekly release" }),
    );
    const waitingUpstream = await waitMessage(pe, "v1-to-staging", /^upstream: /);
    assert.equal(waitingUpstream.status?.phase, "Evaluating");
    assert.equal(waitingUpstream.spec.requestedBy?.username, "alice");
    assert.match(
      waitingUpstream.status?.message ?? "",
      /^upstream: release v1 has not succeeded yet in dev \(no deployment of v1 there\)$/,
    );
    assert.deepEqual(
      waitingUpstream.status?.gates?.map((g) => g.name),
      ["upstream", "soak", "approval"],
    );

    await createAs(pe, promotion(ns, "v1-to-dev", { release: "v1", environment: "dev" }));
    const dev = await waitPromotion(pe, "v1-to-dev", ["Succeeded", "Failed", "Errored"]);
    assert.equal(dev.status?.phase, "Succeeded", dev.status?.message);

    const awaiting = await waitMessage(pe, "v1-to-staging", /^approval: /);
    assert.equal(awaiting.status?.phase, "AwaitingApproval");
    assert.equal(
      awaiting.status?.message,
      "approval: waiting for 1 more approval (0/1): approvers must not include the requester alice",
    );
    const soak = awaiting.status?.gates?.find((g) => g.name === "soak");
    assert.equal(soak?.verdict, "Passed");
    const ran = (soak?.inputs?.ran as Record<string, { ranForMs: number; deployment: string }>).dev;
    assert.equal(ran.deployment, "v1-to-dev");
    assert.ok(ran.ranForMs >= 2000, `the soak passed only after 2s in dev (${ran.ranForMs} ms)`);

    const own = await decide(pe, pe.tokens.alice, "v1-to-staging", "Approved");
    assert.equal(own.status, 403, own.text);
    assert.match(own.body.message, /separation of duties/);
    const bob = await decide(pe, pe.tokens.bob, "v1-to-staging", "Approved", "lgtm");
    assert.equal(bob.status, 200, bob.text);

    const done = await waitPromotion(pe, "v1-to-staging", [
      "Succeeded",
      "Failed",
      "Errored",
      "Rejected",
      "Aborted",
      "Superseded",
    ]);
    assert.equal(done.status?.phase, "Succeeded", done.status?.message);
    assert.match(
      done.status?.message ?? "",
      /^release v1 runs in staging: release v1 landed in staging at .* and is current; every unit runs its pinned digest$/,
    );
    assert.equal(done.status?.deployment, "v1-to-staging");
    assert.equal(done.status?.approvalsRequired, 1);
    assert.deepEqual(
      done.status?.conditions?.filter((c) => c.type !== "Complete").map((c) => [c.type, c.status]),
      [
        ["GatesPassed", "True"],
        ["Approved", "True"],
        ["Deployed", "True"],
        ["Verified", "True"],
      ],
    );
    assert.deepEqual(
      done.status?.steps
        ?.map((s) => [s.name, s.phase === "Running" || s.phase === "Pending" ? "not yet" : s.phase])
        .slice(0, 5),
      [
        ["gate-upstream", "Succeeded"],
        ["gate-soak", "Succeeded"],
        ["approval", "Succeeded"],
        ["deploy", "Succeeded"],
        ["verify", "Succeeded"],
      ],
    );

    const d = await pe.deployments.get("v1-to-staging");
    assert.deepEqual([d.spec.release, d.spec.environment, d.spec.promotion], ["v1", "staging", "v1-to-staging"]);
    assert.deepEqual(
      d.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
      [["Promotion", "v1-to-staging", done.metadata.uid, true]],
    );
    const units = await containers(ns, { environment: "staging" });
    assert.deepEqual(
      units.map((c) => c.labels["stella.io/release"]),
      ["v1", "v1"],
    );
    assert.equal(await page(hostPort(units.find((c) => c.labels["stella.io/component"] === "web")!)), "1.4.0");
  });

  it("notifies the webhook once, signed with the environment's secret", async () => {
    const p = await waitFor(
      "the notify step",
      () => pe.promotions.get("v1-to-staging"),
      (x) => x.status?.steps?.find((s) => s.name === "notify-chat")?.phase === "Succeeded",
    );
    const mine = hook.received.filter((r) => JSON.parse(r.body).promotion?.name === "v1-to-staging");
    assert.equal(mine.length, 1);
    const body = JSON.parse(mine[0].body);
    assert.deepEqual(
      [body.outcome, body.release, body.environment, body.requestedBy, body.promotion.uid],
      ["Succeeded", "v1", "staging", "alice", p.metadata.uid],
    );
    const expected = `sha256=${createHmac("sha256", "hook-signing-secret").update(mine[0].body).digest("hex")}`;
    assert.equal(mine[0].headers["x-stella-signature"], expected);
  });

  it("records evidence for every gate verdict, the approval and the outcome", async () => {
    const p = await waitFor(
      "the decision's evidence",
      () => pe.promotions.get("v1-to-staging"),
      (x) => (x.status?.evidence?.length ?? 0) >= 5,
    );
    const packets = await evidenceOf(pe, "v1-to-staging");
    const byName = new Map(packets.map((e) => [e.metadata.name, e]));
    assert.deepEqual(
      p.status?.evidence
        ?.map((n) => byName.get(n)?.spec)
        .map(
          (s) =>
            `${s?.type}:${s?.type === "GateVerdict" ? `${(s.details as { gate: string }).gate}=` : ""}${s?.decision.outcome}`,
        ),
      [
        "GateVerdict:upstream=Passed",
        "GateVerdict:soak=Passed",
        "Approval:Approved",
        "GateVerdict:approval=Passed",
        "PromotionDecision:Succeeded",
      ],
    );
    for (const g of p.status?.gates ?? [])
      assert.ok(g.evidence && byName.has(g.evidence), `gate ${g.name} names its packet`);
    const rel = await pe.releases.get("v1");
    const subjects = rel.status?.components?.map((c) => ({
      name: c.imageRef.slice(0, c.imageRef.indexOf("@")),
      digest: { sha256: c.digest.slice("sha256:".length) },
    }));
    const staging = await pe.environments.get("staging");
    // The digest of staging's policy fields (crds/environment-policy.ts), which approvals bind to too.
    const policy = { name: "staging", digest: policyDigest(staging.spec) };
    for (const e of packets) {
      assert.deepEqual(e.spec.subjects, subjects, `${e.metadata.name} names the release's digests`);
      assert.deepEqual(e.spec.policy, policy);
      assert.deepEqual(
        [e.spec.subject.kind, e.spec.subject.name, e.spec.subject.uid],
        ["Promotion", "v1-to-staging", p.metadata.uid],
      );
      assert.deepEqual(e.metadata.labels, {
        "stella.io/promotion": "v1-to-staging",
        "stella.io/release": "v1",
        "stella.io/environment": "staging",
      });
    }
    const approval = packets.find((e) => e.spec.type === "Approval")!;
    assert.equal(approval.spec.actor?.username, "bob");
    assert.equal(approval.spec.decision.message, "lgtm");
    const decision = packets.find((e) => e.spec.type === "PromotionDecision")!;
    assert.equal(decision.spec.actor?.username, "system:controller:promotion");
    const d = await pe.deployments.get("v1-to-staging");
    assert.ok((decision.spec.artifacts?.length ?? 0) > 0);
    assert.deepEqual(
      decision.spec.artifacts?.map((a) => a.digest).sort(),
      d.status?.artifacts?.map((a) => a.digest).sort(),
    );
    assert.doesNotMatch(JSON.stringify(packets), /hook-signing-secret/);
  });
});
