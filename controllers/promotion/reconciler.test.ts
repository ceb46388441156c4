// The promotion state machine against an in-memory API: phases, messages, the step DAG, evidence,
// supersede, abort, restarts, conflicting writes and notifications.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { approvalBinding } from "../../crds/approval-binding.ts";
import type { EnvironmentSpec } from "../../crds/environment.ts";
import type { Gate } from "../../sdk/plugins/gate.ts";
import type { Notification, Notifier } from "../../sdk/plugins/notifier.ts";
import { FakeWorld } from "./testing/fake-world.ts";
import { approval, at, env, landed, promotion, release } from "./testing/objects.ts";

const succeededIn = (w: FakeWorld, name: string, environment: string, rel = "r1") => {
  w.setDeployment(name, {
    phase: "Succeeded",
    completedAt: new Date(w.now).toISOString(),
    targets: [
      {
        name: "t1",
        phase: "Succeeded",
        units: [{ component: "web", imageRef: `127.0.0.1:5000/shop/web@sha256:${"a".repeat(64)}` }],
      },
    ],
  });
  const e = w.environments.get(environment)!;
  w.put({ ...e, status: { current: { release: rel, deployment: name, deployedAt: new Date(w.now).toISOString() } } });
};

/** What the apiserver binds an approval to in `w` now: release r1 under the environment's policy. */
const bound = (w: FakeWorld, environment = "staging", rel = "r1") =>
  approvalBinding(w.releases.get(rel)!, w.environments.get(environment)!);

function world(spec: Partial<EnvironmentSpec> = {}, gates: Gate[] = [], notifiers: Notifier[] = []): FakeWorld {
  const w = new FakeWorld(gates, notifiers, { gateErrorLimit: 3 });
  w.put(env("dev"), env("staging", spec), release("r1"), release("r2"));
  return w;
}

describe("PromotionReconciler", () => {
  it("takes a promotion without gates through every phase to Succeeded, with one deployment and its evidence", async () => {
    const w = world();
    w.put(promotion("p", { environment: "dev" }));
    await w.reconcile("p");
    let p = w.promotion("p");
    assert.equal(p.status?.phase, "Deploying");
    assert.equal(w.creates, 1);
    const d = w.deployments.get("p")!;
    assert.deepEqual(d.spec, { release: "r1", environment: "dev", promotion: "p" });
    assert.deepEqual(d.metadata.ownerReferences, [
      {
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Promotion",
        name: "p",
        uid: "uid-promo-p",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.deepEqual(
      p.status?.gates?.map((g) => [g.name, g.verdict, g.message]),
      [["approval", "Skipped", "environment dev requires no approvals"]],
    );
    w.setDeployment("p", { phase: "Progressing", message: "t1: waiting for web to become healthy" });
    await w.reconcile("p");
    assert.equal(
      w.promotion("p").status?.message,
      "deployment p is Progressing: t1: waiting for web to become healthy",
    );
    succeededIn(w, "p", "dev");
    await w.reconcile("p");
    p = w.promotion("p");
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    assert.deepEqual(
      p.status?.steps?.map((s) => [s.name, s.phase]),
      [
        ["approval", "Skipped"],
        ["deploy", "Succeeded"],
        ["verify", "Succeeded"],
      ],
    );
    assert.deepEqual(
      p.status?.conditions?.map((c) => [c.type, c.status]),
      [
        ["GatesPassed", "True"],
        ["Complete", "True"],
        ["Approved", "True"],
        ["Deployed", "True"],
        ["Verified", "True"],
      ],
    );
    assert.equal(w.creates, 1);
    assert.deepEqual(w.evidenceSummary(), ["GateVerdict:approval=Skipped", "PromotionDecision:Succeeded"]);
    assert.deepEqual(p.status?.evidence, w.evidenceOrder);
    assert.equal(p.status?.gates?.[0].evidence, w.evidenceOrder[0]);
    const before = w.statusWrites;
    await w.reconcile("p", 3);
    assert.equal(w.statusWrites, before, "a finished promotion is left alone");
  });

  it("waits for upstream, soak and approval in order, explaining each wait", async () => {
    const w = world({ upstream: ["dev"], requiredSoak: "10m", approvals: { required: 1, separationOfDuties: true } });
    w.put(promotion("p"));
    const r1 = await w.reconcile("p");
    let p = w.promotion("p");
    assert.equal(p.status?.phase, "Evaluating");
    assert.equal(p.status?.message, "upstream: release r1 has not succeeded yet in dev (no deployment of r1 there)");
    assert.deepEqual(r1, { requeueAfter: 30_000 });
    w.put(landed("d1", "r1", "dev", -4, -12));
    await w.reconcile("p");
    p = w.promotion("p");
    assert.equal(p.status?.message, "soak: release r1 has run in dev for 4m12s of the required 10m");
    assert.deepEqual(
      p.status?.steps?.slice(0, 2).map((s) => s.phase),
      ["Succeeded", "Running"],
    );
    w.now += 6 * 60_000;
    await w.reconcile("p");
    p = w.promotion("p");
    assert.equal(p.status?.phase, "AwaitingApproval");
    assert.equal(
      p.status?.message,
      "approval: waiting for 1 more approval (0/1): approvers must not include the requester alice",
    );
    const stale = w.written.filter((x) => x.phase === "AwaitingApproval" && !/approval/.test(x.message ?? ""));
    assert.deepEqual(stale, [], "no status in AwaitingApproval still names the soak that held it");
    w.put({ ...p, status: { ...p.status, approvals: [approval("alice", "Approved", 1, undefined, bound(w))] } });
    await w.reconcile("p");
    assert.match(
      w.promotion("p").status?.message ?? "",
      /\(0\/1\): approvers must not include the requester alice; not counted: alice \(the requester\)/,
    );
    p = w.promotion("p");
    w.put({
      ...p,
      status: {
        ...p.status,
        approvals: [...(p.status?.approvals ?? []), approval("bob", "Approved", 2, undefined, bound(w))],
      },
    });
    await w.reconcile("p");
    p = w.promotion("p");
    assert.equal(p.status?.phase, "Deploying");
    assert.deepEqual(
      p.status?.gates?.map((g) => `${g.name}=${g.verdict}`),
      ["upstream=Passed", "soak=Passed", "approval=Passed"],
    );
    assert.deepEqual(w.evidenceSummary(), [
      "GateVerdict:upstream=Passed",
      "GateVerdict:soak=Passed",
      "Approval:Approved",
      "Approval:Approved",
      "GateVerdict:approval=Passed",
    ]);
  });

  it("ends Rejected on a rejection, with the approval gate Failed and a Rejection packet", async () => {
    const w = world({ approvals: { required: 2 } });
    w.put(promotion("p"));
    await w.reconcile("p");
    const p = w.promotion("p");
    w.put({ ...p, status: { ...p.status, approvals: [approval("bob"), approval("carol", "Rejected", 2)] } });
    await w.reconcile("p");
    const done = w.promotion("p");
    assert.equal(done.status?.phase, "Rejected");
    assert.equal(done.status?.message, "rejected by carol: not this week");
    assert.equal(done.status?.conditions?.find((c) => c.type === "Approved")?.status, "False");
    assert.deepEqual(
      done.status?.steps?.map((s) => s.phase),
      ["Failed", "Skipped", "Skipped"],
    );
    assert.equal(w.creates, 0);
    assert.deepEqual(w.evidenceSummary(), [
      "Approval:Approved",
      "Rejection:Rejected",
      "GateVerdict:approval=Failed",
      "PromotionDecision:Rejected",
    ]);
    const rejection = [...w.evidence.values()].find((e) => e.type === "Rejection")!;
    assert.equal(rejection.actor?.username, "carol");
  });

  it("is superseded by a newer promotion to the same environment before deploying", async () => {
    const w = world({ approvals: { required: 1 } });
    w.put(promotion("old", {}, {}, at(0)));
    await w.reconcile("old");
    w.put(promotion("new", { release: "r2" }, {}, at(1)));
    await w.reconcile("old");
    const old = w.promotion("old");
    assert.equal(old.status?.phase, "Superseded");
    assert.equal(old.status?.supersededBy, "new");
    assert.match(old.status?.message ?? "", /^superseded by promotion new \(release r2\)/);
  });

  it("aborts: the running deployment first, then the promotion", async () => {
    const w = world();
    w.put(promotion("p"));
    await w.reconcile("p");
    w.setDeployment("p", { phase: "Progressing", previousRelease: "r0" });
    const p = w.promotion("p");
    w.put({ ...p, spec: { ...p.spec, abort: true }, metadata: { ...p.metadata, generation: 2 } });
    await w.reconcile("p");
    assert.deepEqual(w.aborts, ["p"]);
    assert.equal(w.promotion("p").status?.phase, "Deploying");
    assert.match(w.promotion("p").status?.message ?? "", /^aborting: deployment p is stopping and going back to r0/);
    w.setDeployment("p", { phase: "Aborted", message: "rolled back to r0: aborted by request" });
    await w.reconcile("p");
    const done = w.promotion("p");
    assert.equal(done.status?.phase, "Aborted");
    assert.equal(
      done.status?.message,
      "aborted by request; deployment p ended Aborted: rolled back to r0: aborted by request",
    );
    assert.equal(w.aborts.length, 1);
  });

  it("fails on a rolled-back deployment, errors when a target is unreachable", async () => {
    const w = world();
    w.put(promotion("bad"), promotion("infra", { environment: "dev" }));
    await w.reconcile("bad");
    w.setDeployment("bad", {
      phase: "RolledBack",
      rollback: { release: "r0", reason: "web is unhealthy" },
      targets: [{ name: "t1", phase: "RolledBack" }],
    });
    await w.reconcile("bad");
    assert.deepEqual(
      [w.promotion("bad").status?.phase, w.promotion("bad").status?.message],
      ["Failed", "deployment bad rolled back to r0: web is unhealthy"],
    );
    await w.reconcile("infra");
    w.put({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Target",
      metadata: { name: "t9", namespace: "shop" },
      spec: { driver: "docker", docker: {} },
      status: {
        conditions: [{ type: "Ready", status: "False", reason: "Unreachable", message: "connect ECONNREFUSED" }],
      },
    } as never);
    w.setDeployment("infra", { phase: "Failed", targets: [{ name: "t9", phase: "Failed" }] });
    await w.reconcile("infra");
    assert.equal(w.promotion("infra").status?.phase, "Errored");
  });

  it("errors a promotion whose gate keeps answering Error, after the limit; at once when the gate gives up", async () => {
    let retry: number | undefined = 1000;
    const flaky: Gate = {
      type: "webhook",
      evaluate: async () => ({ verdict: "Error", message: "connect ECONNREFUSED 127.0.0.1:9", retryAfterMs: retry }),
    };
    const w = world({ gates: [{ name: "hook", webhook: { url: "http://127.0.0.1:9/" } }] }, [flaky]);
    w.put(promotion("p"));
    assert.deepEqual(await w.reconcile("p"), { requeueAfter: 1000 });
    assert.match(
      w.promotion("p").status?.message ?? "",
      /^hook: connect ECONNREFUSED 127\.0\.0\.1:9 \(error 1 of at most 3; asking again in 1s\)$/,
    );
    assert.deepEqual(await w.reconcile("p"), { requeueAfter: 1000 });
    await w.reconcile("p");
    const p = w.promotion("p");
    assert.equal(p.status?.phase, "Errored");
    assert.equal(p.status?.message, "gate hook answered Error 3 times in a row: connect ECONNREFUSED 127.0.0.1:9");
    assert.deepEqual(w.evidenceSummary(), ["GateVerdict:hook=Error", "PromotionDecision:Errored"]);
    retry = undefined;
    w.put(promotion("q", { environment: "staging" }, {}, at(5)));
    await w.reconcile("q");
    assert.deepEqual(
      [w.promotion("q").status?.phase, w.promotion("q").status?.message],
      ["Errored", "gate hook: connect ECONNREFUSED 127.0.0.1:9"],
    );
  });

  it("resumes after a restart without a second deployment, adopting the one it created", async () => {
    const w = world();
    w.put(promotion("p"));
    await w.reconcile("p");
    assert.equal(w.creates, 1);
    // The status write after the create was lost (crash): status has no deployment yet, the cache has none.
    const p = w.promotion("p");
    const { deployment: _lost, ...rest } = p.status ?? {};
    w.put({ ...p, status: rest });
    w.hideDeploymentsFromCache = true;
    await w.reconcile("p");
    assert.equal(w.deployments.size, 1);
    assert.equal(w.promotion("p").status?.deployment, "p");
    w.hideDeploymentsFromCache = false;
    succeededIn(w, "p", "staging");
    await w.reconcile("p");
    assert.equal(w.promotion("p").status?.phase, "Succeeded");
    assert.equal(w.deployments.size, 1);
  });

  it("recomputes on a conflicting write and keeps the approval the apiserver appended meanwhile", async () => {
    const w = world({ approvals: { required: 1 } });
    w.put(promotion("p"));
    await w.reconcile("p");
    assert.equal(w.promotion("p").status?.phase, "AwaitingApproval");
    let once = true;
    w.beforeStatusWrite = (stored) => {
      if (!once) return;
      once = false;
      w.put({
        ...stored,
        status: { ...stored.status, approvals: [approval("bob", "Approved", 1, undefined, bound(w))] },
      });
    };
    w.now += 1000;
    await w.reconcile("p");
    const p = w.promotion("p");
    assert.deepEqual(
      p.status?.approvals?.map((a) => a.user.username),
      ["bob"],
    );
    assert.equal(p.status?.phase, "Deploying", "decided again from the fresh copy, which has the approval");
  });

  it("sends each notification once, retries a failing one, and resends one found Running after a restart", async () => {
    const sent: Notification[] = [];
    let failures = 1;
    const notifier: Notifier = {
      type: "webhook",
      notify: async (n) => {
        if (failures-- > 0) throw new Error("503 Service Unavailable");
        sent.push(n);
      },
    };
    const w = world({ notifications: [{ name: "chat", webhook: { url: "http://127.0.0.1:9/hook" } }] }, [], [notifier]);
    w.put(promotion("p"));
    await w.reconcile("p");
    const p = w.promotion("p");
    w.put({
      ...p,
      status: { ...p.status, approvals: [] },
      spec: { ...p.spec, abort: true },
      metadata: { ...p.metadata, generation: 2 },
    });
    w.setDeployment("p", { phase: "Aborted" });
    const r = await w.reconcile("p");
    let step = w.promotion("p").status?.steps?.find((s) => s.name === "notify-chat");
    assert.deepEqual(
      [step?.phase, step?.attempts, step?.message],
      ["Pending", 1, "attempt 1 failed: 503 Service Unavailable; retrying in 1s"],
    );
    assert.deepEqual(r, { requeueAfter: 1000 });
    await w.reconcile("p");
    assert.equal(sent.length, 0, "not before the backoff");
    w.now += 1000;
    await w.reconcile("p");
    step = w.promotion("p").status?.steps?.find((s) => s.name === "notify-chat");
    assert.deepEqual([step?.phase, step?.attempts, sent.length, sent[0].outcome], ["Succeeded", 2, 1, "Aborted"]);
    await w.reconcile("p", 2);
    assert.equal(sent.length, 1, "a Succeeded notify step is never sent again");
    // A crash between the send and its record leaves the step Running: the restart sends again (at least once).
    const done = w.promotion("p");
    w.put({
      ...done,
      status: {
        ...done.status,
        steps: done.status?.steps?.map((s) => (s.name === "notify-chat" ? { ...s, phase: "Running" as const } : s)),
      },
    });
    await w.reconcile("p");
    assert.equal(sent.length, 2);
  });

  it("skips soak and approval for a rollback promotion only where the policy says so", async () => {
    const spec = {
      upstream: ["dev"],
      requiredSoak: "1h",
      approvals: { required: 2 },
      promotion: { rollback: { skipSoak: true, skipApprovals: true } },
    };
    const w = world(spec);
    w.put(
      landed("d0", "r1", "staging", -90),
      landed("d0b", "r2", "staging", -60),
      landed("d1", "r1", "dev", -1),
      promotion("rb", { rollback: true }),
    );
    await w.reconcile("rb");
    const rb = w.promotion("rb");
    assert.equal(rb.status?.phase, "Deploying");
    assert.deepEqual(
      rb.status?.gates?.map((g) => `${g.name}=${g.verdict}`),
      ["upstream=Passed", "soak=Skipped", "approval=Skipped"],
    );
    assert.equal(w.deployments.get("rb")?.spec.rollback, true);
  });

  it("holds the deployment while a freeze window that opened during the approval wait is open", async () => {
    let frozen = false;
    const freeze: Gate = {
      type: "freeze",
      evaluate: async () =>
        frozen
          ? {
              verdict: "Pending",
              message: "frozen by window weekend until 2025-01-06T08:00:00Z",
              retryAfterMs: 3_600_000,
            }
          : { verdict: "Passed", message: "no freeze window open" },
    };
    const w = world(
      { approvals: { required: 1 }, freezeWindows: [{ rrule: "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16", duration: "64h" }] },
      [freeze],
    );
    w.put(promotion("p"));
    await w.reconcile("p");
    assert.equal(w.promotion("p").status?.gates?.find((g) => g.name === "freeze")?.verdict, "Passed");
    frozen = true;
    const p = w.promotion("p");
    w.put({ ...p, status: { ...p.status, approvals: [approval("bob", "Approved", 1, undefined, bound(w))] } });
    assert.deepEqual(await w.reconcile("p"), { requeueAfter: 60_000 });
    const held = w.promotion("p");
    assert.equal(held.status?.phase, "Deploying");
    assert.equal(
      held.status?.message,
      "deploy: waiting to deploy: frozen by window weekend until 2025-01-06T08:00:00Z",
    );
    assert.equal(w.creates, 0);
    frozen = false;
    await w.reconcile("p");
    assert.equal(w.creates, 1);
    assert.equal(
      w.promotion("p").status?.gates?.find((g) => g.name === "freeze")?.verdict,
      "Passed",
      "the recorded verdict stays",
    );
  });
});
