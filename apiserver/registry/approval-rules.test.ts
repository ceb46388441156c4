import { test } from "node:test";
import assert from "node:assert/strict";
import type { Environment } from "../../crds/environment.ts";
import { isConflict, isForbidden } from "../../crds/errors.ts";
import type { Approval, ApprovalBinding, Promotion } from "../../crds/promotion.ts";
import { decideApproval } from "./approval-rules.ts";

const now = new Date("2030-01-01T12:00:00.250Z");
const approve = { decision: "Approved" as const, comment: "lgtm" };
const reject = { decision: "Rejected" as const, comment: "not today" };

const environment = (approvals?: Environment["spec"]["approvals"]): Environment =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name: "prod", namespace: "shop" },
    spec: { targetSelector: {}, ...(approvals ? { approvals } : {}) },
  }) as Environment;

const bound: ApprovalBinding = {
  release: "shop-1-4-0",
  digests: ["web=127.0.0.1:5000/shop/web@sha256:aa"],
  policyDigest: "sha256:01",
};

const promotion = (phase = "AwaitingApproval", approvals?: Approval[], author = "alice"): Promotion =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Promotion",
    metadata: { name: "to-prod", namespace: "shop" },
    spec: { release: "shop-1-4-0", environment: "prod", requestedBy: { username: author } },
    status: { ...(phase === "-" ? {} : { phase }), ...(approvals ? { approvals } : {}) },
  }) as Promotion;

const decided = (username: string, decision: "Approved" | "Rejected" = "Approved", binding = bound): Approval => ({
  user: { username },
  decision,
  time: "2030-01-01T11:00:00Z",
  binding,
});

test("the approval carries the requester's identity, decision, comment and the time to the second", () => {
  const a = decideApproval(
    promotion(),
    environment({ required: 2 }),
    { username: "bob", groups: ["qa"] },
    approve,
    bound,
    now,
  );
  assert.deepEqual(a, {
    user: { username: "bob", groups: ["qa"] },
    decision: "Approved",
    comment: "lgtm",
    time: "2030-01-01T12:00:00Z",
    binding: bound,
  });
  const bare = decideApproval(promotion(), environment(), { username: "bob" }, { decision: "Approved" }, bound, now);
  assert.deepEqual(bare, {
    user: { username: "bob" },
    decision: "Approved",
    time: "2030-01-01T12:00:00Z",
    binding: bound,
  });
});

test("separation of duties refuses the author, approving or rejecting; without it the author may", () => {
  for (const req of [approve, reject]) {
    assert.throws(
      () =>
        decideApproval(
          promotion(),
          environment({ required: 1, separationOfDuties: true }),
          { username: "alice" },
          req,
          bound,
          now,
        ),
      (err: Error) => isForbidden(err) && /separation of duties/.test(err.message) && /alice/.test(err.message),
    );
  }
  assert.equal(
    decideApproval(promotion(), environment({ required: 1 }), { username: "alice" }, approve, bound, now).user.username,
    "alice",
  );
});

test("approvers narrow who may decide, by user name or group", () => {
  const env = environment({ required: 1, approvers: { users: ["carol"], groups: ["release-managers"] } });
  assert.equal(decideApproval(promotion(), env, { username: "carol" }, approve, bound, now).user.username, "carol");
  assert.equal(
    decideApproval(promotion(), env, { username: "dave", groups: ["release-managers"] }, approve, bound, now).user
      .username,
    "dave",
  );
  assert.throws(
    () => decideApproval(promotion(), env, { username: "eve", groups: ["dev"] }, approve, bound, now),
    (err: Error) =>
      isForbidden(err) &&
      /"carol"/.test(err.message) &&
      /"release-managers"/.test(err.message) &&
      /spec\.approvals\.approvers/.test(err.message),
  );
});

test("one decision per person: a second one is 409 saying who already decided", () => {
  assert.throws(
    () =>
      decideApproval(
        promotion("AwaitingApproval", [decided("bob")]),
        environment(),
        { username: "bob" },
        approve,
        bound,
        now,
      ),
    (err: Error) => isConflict(err) && /already approved by bob/.test(err.message),
  );
  assert.throws(
    () =>
      decideApproval(
        promotion("AwaitingApproval", [decided("bob")]),
        environment(),
        { username: "bob" },
        reject,
        bound,
        now,
      ),
    (err: Error) => isConflict(err) && /already approved by bob/.test(err.message),
  );
  assert.equal(
    decideApproval(
      promotion("AwaitingApproval", [decided("bob")]),
      environment(),
      { username: "carol" },
      approve,
      bound,
      now,
    ).user.username,
    "carol",
  );
});

test("a rejection is final: no decision follows it", () => {
  assert.throws(
    () =>
      decideApproval(
        promotion("AwaitingApproval", [decided("bob", "Rejected")]),
        environment(),
        { username: "carol" },
        approve,
        bound,
        now,
      ),
    (err: Error) => isConflict(err) && /rejected by bob/.test(err.message),
  );
});

test("decisions are taken only while AwaitingApproval: before, what is promoted is not settled; after, it is decided", () => {
  assert.doesNotThrow(() =>
    decideApproval(promotion("AwaitingApproval"), environment(), { username: "bob" }, approve, bound, now),
  );
  const others = [
    "-",
    "Pending",
    "Evaluating",
    "Deploying",
    "Verifying",
    "Succeeded",
    "Failed",
    "Errored",
    "Rejected",
    "Aborted",
    "Superseded",
  ];
  for (const phase of others) {
    const named = phase === "-" ? "Pending" : phase;
    assert.throws(
      () => decideApproval(promotion(phase), environment(), { username: "bob" }, approve, bound, now),
      (err: Error) => isConflict(err) && err.message.includes(`is ${named}`),
      phase,
    );
  }
});

test("an approval whose binding no longer holds is void: its author may decide again", () => {
  const otherPolicy = { ...bound, policyDigest: "sha256:02" };
  const before = promotion("AwaitingApproval", [decided("bob", "Approved", otherPolicy)]);
  assert.deepEqual(decideApproval(before, environment(), { username: "bob" }, approve, bound, now).binding, bound);
  const unbound: Approval = { user: { username: "carol" }, decision: "Approved", time: "2030-01-01T11:00:00Z" };
  assert.equal(
    decideApproval(promotion("AwaitingApproval", [unbound]), environment(), { username: "carol" }, approve, bound, now)
      .user.username,
    "carol",
  );
});
