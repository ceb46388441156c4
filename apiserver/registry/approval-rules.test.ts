import { test } from "node:test";
import assert from "node:assert/strict";
import type { Environment } from "../../crds/environment.ts";
import { isConflict, isForbidden } from "../../crds/errors.ts";
import type { Approval, Promotion } from "../../crds/promotion.ts";
import { decideApproval } from "./approval-rules.ts";

const now = new Date("2030-01-01T12:00:00.250Z");
const approve = { decision: "Approved" as const, comment: "lgtm" };
const reject = { decision: "Rejected" as const, comment: "not today" };

const environment = (approvals?: Environment["spec"]["approvals"]): Environment =>
  ({ apiVersion: "release.stella.io/v1alpha1", kind: "Environment", metadata: { name: "prod", namespace: "shop" }, spec: { targetSelector: {}, ...(approvals ? { approvals } : {}) } }) as Environment;

const promotion = (phase?: string, approvals?: Approval[], author = "alice"): Promotion =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Promotion",
    metadata: { name: "to-prod", namespace: "shop" },
    spec: { release: "shop-1-4-0", environment: "prod", requestedBy: { username: author } },
    status: { ...(phase ? { phase } : {}), ...(approvals ? { approvals } : {}) },
  }) as Promotion;

const decided = (username: string, decision: "Approved" | "Rejected" = "Approved"): Approval => ({ user: { username }, decision, time: "2030-01-01T11:00:00Z" });

test("the approval carries the requester's identity, decision, comment and the time to the second", () => {
  const a = decideApproval(promotion(), environment({ required: 2 }), { username: "bob", groups: ["qa"] }, approve, now);
  assert.deepEqual(a, { user: { username: "bob", groups: ["qa"] }, decision: "Approved", comment: "lgtm", time: "2030-01-01T12:00:00Z" });
  const bare = decideApproval(promotion(), environment(), { username: "bob" }, { decision: "Approved" }, now);
  assert.deepEqual(bare, { user: { username: "bob" }, decision: "Approved", time: "2030-01-01T12:00:00Z" });
});

test("separation of duties refuses the author, approving or rejecting; without it the author may", () => {
  for (const req of [approve, reject]) {
    assert.throws(
      () => decideApproval(promotion(), environment({ required: 1, separationOfDuties: true }), { username: "alice" }, req, now),
      (err: Error) => isForbidden(err) && /separation of duties/.test(err.message) && /alice/.test(err.message),
    );
  }
  assert.equal(decideApproval(promotion(), environment({ required: 1 }), { username: "alice" }, approve, now).user.username, "alice");
});

test("approvers narrow who may decide, by user name or group", () => {
  const env = environment({ required: 1, approvers: { users: ["carol"], groups: ["release-managers"] } });
  assert.equal(decideApproval(promotion(), env, { username: "carol" }, approve, now).user.username, "carol");
  assert.equal(decideApproval(promotion(), env, { username: "dave", groups: ["release-managers"] }, approve, now).user.username, "dave");
  assert.throws(
    () => decideApproval(promotion(), env, { username: "eve", groups: ["dev"] }, approve, now),
    (err: Error) => isForbidden(err) && /"carol"/.test(err.message) && /"release-managers"/.test(err.message) && /spec\.approvals\.approvers/.test(err.message),
  );
});

test("one decision per person: a second one is 409 saying who already decided", () => {
  assert.throws(() => decideApproval(promotion("AwaitingApproval", [decided("bob")]), environment(), { username: "bob" }, approve, now), (err: Error) => isConflict(err) && /already approved by bob/.test(err.message));
  assert.throws(() => decideApproval(promotion("AwaitingApproval", [decided("bob")]), environment(), { username: "bob" }, reject, now), (err: Error) => isConflict(err) && /already approved by bob/.test(err.message));
  assert.equal(decideApproval(promotion("AwaitingApproval", [decided("bob")]), environment(), { username: "carol" }, approve, now).user.username, "carol");
});

test("a rejection is final: no decision follows it", () => {
  assert.throws(() => decideApproval(promotion("AwaitingApproval", [decided("bob", "Rejected")]), environment(), { username: "carol" }, approve, now), (err: Error) => isConflict(err) && /rejected by bob/.test(err.message));
});

test("decisions are taken only while Pending, Evaluating or AwaitingApproval", () => {
  for (const phase of ["Pending", "Evaluating", "AwaitingApproval"]) assert.doesNotThrow(() => decideApproval(promotion(phase), environment(), { username: "bob" }, approve, now));
  for (const phase of ["Deploying", "Verifying", "Succeeded", "Failed", "Errored", "Rejected", "Aborted", "Superseded"])
    assert.throws(() => decideApproval(promotion(phase), environment(), { username: "bob" }, approve, now), (err: Error) => isConflict(err) && err.message.includes(`is ${phase}`), phase);
});
