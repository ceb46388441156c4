import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  approvalEvidenceName,
  approvalPacket,
  decisionPacket,
  evidenceName,
  gateVerdictPacket,
  labelValue,
  policyOf,
  redact,
} from "./evidence.ts";
import { approval, at, deployment, env, promotion, release } from "./testing/objects.ts";

describe("promotion evidence", () => {
  it("names packets deterministically, apart for a recreated promotion of the same name", () => {
    const p = promotion("shop-1-4-0-to-staging");
    assert.equal(evidenceName(p, "gate", "soak"), evidenceName(p, "gate", "soak"));
    assert.match(evidenceName(p, "gate", "soak"), /^promotion-shop-1-4-0-to-staging-gate-soak-[0-9a-f]{10}$/);
    const again = { ...p, metadata: { ...p.metadata, uid: "another-uid" } };
    assert.notEqual(evidenceName(again, "gate", "soak"), evidenceName(p, "gate", "soak"));
    assert.ok(evidenceName(promotion("a".repeat(253)), "approval", "b".repeat(300)).length <= 253);
  });

  it("digests the environment spec's canonical JSON, whatever its key order", () => {
    const a = env("staging", { upstream: ["dev"], requiredSoak: "10m" });
    const b = { ...a, spec: { requiredSoak: "10m", upstream: ["dev"], targetSelector: a.spec.targetSelector } };
    assert.equal(policyOf(a)?.digest, policyOf(b)?.digest);
    assert.match(policyOf(a)?.digest ?? "", /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(policyOf(a)?.digest, policyOf(env("staging", { upstream: ["dev"], requiredSoak: "1h" }))?.digest);
  });

  it("records the approver as the actor of an approval, the controller for its own decisions", () => {
    const a = approval("bob", "Approved", 3, ["release-managers"]);
    const p = promotion(
      "p",
      {},
      { phase: "Succeeded", completedAt: at(9), message: "done", approvals: [a], deployment: "p" },
    );
    const ctx = {
      promotion: p,
      environment: env("staging"),
      release: release("r1"),
      deployment: deployment("p", "r1", "staging", {
        phase: "Succeeded",
        artifacts: [{ target: "t1", component: "web", type: "container-spec", digest: `sha256:${"c".repeat(64)}` }],
      }),
    };
    const ap = approvalPacket(ctx, a);
    assert.equal(ap.spec.type, "Approval");
    assert.deepEqual(ap.spec.actor, { username: "bob", groups: ["release-managers"] });
    assert.equal(ap.spec.decidedAt, at(3));
    assert.deepEqual(ap.spec.subjects, [{ name: "127.0.0.1:5000/shop/web", digest: { sha256: "a".repeat(64) } }]);
    assert.deepEqual(ap.labels, {
      "stella.io/promotion": "p",
      "stella.io/release": "r1",
      "stella.io/environment": "staging",
    });
    const dp = decisionPacket(ctx);
    assert.equal(dp.spec.type, "PromotionDecision");
    assert.deepEqual(dp.spec.decision, { outcome: "Succeeded", message: "done" });
    assert.equal(dp.spec.actor?.username, "system:controller:promotion");
    assert.deepEqual(dp.spec.artifacts, [
      { name: "t1/web", type: "container-spec", digest: `sha256:${"c".repeat(64)}` },
    ]);
    assert.equal(approvalPacket(ctx, approval("carol", "Rejected")).spec.type, "Rejection");
  });

  it("records in an approval's packet the release digests and policy digest it was given for", () => {
    const given = {
      release: "r1",
      digests: [`web=127.0.0.1:5000/shop/web@sha256:${"a".repeat(64)}`],
      policyDigest: `sha256:${"0".repeat(64)}`,
    };
    const a = approval("bob", "Approved", 3, undefined, given);
    const ctx = {
      promotion: promotion("p", {}, { approvals: [a] }),
      environment: env("staging", { approvals: { required: 1 } }),
      release: release("r1"),
    };
    const ap = approvalPacket(ctx, a);
    assert.deepEqual(ap.spec.details?.binding, given);
    assert.deepEqual(
      ap.spec.policy,
      { name: "staging", digest: given.policyDigest },
      "the policy it was given under, not the one in force now",
    );
  });

  it("names apart two approvals by one person in the same second for other bytes", () => {
    const given = (digest: string) => ({
      release: "r1",
      digests: [`web=127.0.0.1:5000/shop/web@sha256:${digest.repeat(64)}`],
      policyDigest: `sha256:${"0".repeat(64)}`,
    });
    const p = promotion("p");
    const first = approval("bob", "Approved", 3, undefined, given("a"));
    const second = approval("bob", "Approved", 3, undefined, given("b"));
    assert.notEqual(approvalEvidenceName(p, first), approvalEvidenceName(p, second));
    assert.equal(approvalEvidenceName(p, first), approvalEvidenceName(p, { ...first }));
  });

  it("keeps secrets out of gate inputs", () => {
    const g = {
      name: "hook",
      type: "webhook",
      verdict: "Passed" as const,
      message: "200",
      inputs: { url: "https://h/x", token: "s3cr3t", nested: { password: "p", signingSecretRef: { name: "k" } } },
      evaluatedAt: at(2),
    };
    const packet = gateVerdictPacket({ promotion: promotion("p") }, g);
    assert.deepEqual(packet.spec.gates?.[0].inputs, {
      url: "https://h/x",
      token: "[redacted]",
      nested: { password: "[redacted]", signingSecretRef: { name: "k" } },
    });
    assert.doesNotMatch(JSON.stringify(packet), /s3cr3t/);
    assert.deepEqual(redact(["a", { apiKey: "x" }]), ["a", { apiKey: "[redacted]" }]);
  });

  it("makes valid label values of long names", () => {
    assert.equal(labelValue("shop-1-4-0"), "shop-1-4-0");
    const long = labelValue("x".repeat(100));
    assert.ok(long.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(long), long);
  });
});
