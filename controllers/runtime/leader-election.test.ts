import { test } from "node:test";
import assert from "node:assert/strict";
import { alreadyExists, conflict, notFound, unavailable } from "../../crds/errors.ts";
import type { Lease } from "../../crds/lease.ts";
import { until } from "../../sdk/testing/fake-apiserver.ts";
import { LeaderElector, type LeaseClient } from "./leader-election.ts";
import { silentLogger } from "./logger.ts";

/** Leases in memory with the API's optimistic concurrency; `down` makes every call fail. */
class FakeLeases implements LeaseClient {
  readonly apiVersion = "release.stella.io/v1alpha1";
  lease?: Lease;
  down = false;
  private rv = 0;
  private readonly target = { group: "release.stella.io", kind: "Lease", plural: "leases", name: "ctl" };

  async get(): Promise<Lease> {
    if (this.down) throw unavailable("down");
    if (!this.lease) throw notFound(this.target);
    return structuredClone(this.lease);
  }
  async create(obj: Lease): Promise<Lease> {
    if (this.down) throw unavailable("down");
    if (this.lease) throw alreadyExists(this.target);
    this.lease = { ...structuredClone(obj), metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    return structuredClone(this.lease);
  }
  async update(obj: Lease): Promise<Lease> {
    if (this.down) throw unavailable("down");
    if (obj.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) throw conflict(this.target, "stale");
    this.lease = { ...structuredClone(obj), metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    return structuredClone(this.lease);
  }
}

const timings = { leaseName: "ctl", leaseDurationMs: 400, renewDeadlineMs: 250, retryPeriodMs: 50 };

function candidate(leases: LeaseClient, identity: string, extra = {}) {
  const elector = new LeaderElector(leases, { ...timings, identity, ...extra }, silentLogger);
  const ac = new AbortController();
  const log: string[] = [];
  const done = elector.run(ac.signal, {
    onStartedLeading: () => log.push("start"),
    onStoppedLeading: () => void log.push("stop"),
  });
  return { elector, ac, log, done };
}

test("a lone candidate creates the lease and leads; stopping releases it", async () => {
  const leases = new FakeLeases();
  const a = candidate(leases, "a");
  await until(() => a.elector.isLeader());
  assert.equal(leases.lease?.spec.holderIdentity, "a");
  assert.equal(leases.lease?.spec.leaseTransitions, 0);
  assert.equal(leases.lease?.spec.leaseDurationSeconds, 1);
  a.ac.abort();
  assert.equal(await a.done, "stopped");
  assert.deepEqual(a.log, ["start", "stop"]);
  assert.equal(leases.lease?.spec.holderIdentity, undefined, "released");
});

test("of two candidates one leads; when it stops the other takes over and the transition is counted", async () => {
  const leases = new FakeLeases();
  const a = candidate(leases, "a");
  await until(() => a.elector.isLeader());
  const b = candidate(leases, "b");
  await new Promise((r) => setTimeout(r, 150)); // several retry periods
  assert.equal(b.elector.isLeader(), false);
  a.ac.abort();
  await a.done;
  await until(() => b.elector.isLeader());
  assert.equal(leases.lease?.spec.holderIdentity, "b");
  assert.equal(leases.lease?.spec.leaseTransitions, 0, "a released it: taking a free lease is no transition");
  b.ac.abort();
  await b.done;
});

test("when the leader dies without releasing, a follower takes over after the lease expires", async () => {
  const leases = new FakeLeases();
  const a = candidate(leases, "a", { releaseOnStop: false });
  await until(() => a.elector.isLeader());
  const b = candidate(leases, "b");
  await new Promise((r) => setTimeout(r, 100));
  a.ac.abort(); // stops renewing; the lease still names a
  await a.done;
  const lastRenew = Date.parse(leases.lease!.spec.renewTime!);
  await until(() => b.elector.isLeader());
  const acquired = Date.parse(leases.lease!.spec.acquireTime!);
  assert.ok(acquired - lastRenew >= timings.leaseDurationMs, "not before the lease expired");
  assert.equal(leases.lease?.spec.leaseTransitions, 1);
  b.ac.abort();
  await b.done;
});

test("a leader that cannot renew steps down ('lost') and calls onStoppedLeading", async () => {
  const leases = new FakeLeases();
  const a = candidate(leases, "a");
  await until(() => a.elector.isLeader());
  leases.down = true;
  assert.equal(await a.done, "lost");
  assert.deepEqual(a.log, ["start", "stop"]);
  assert.equal(a.elector.isLeader(), false);
});

test("concurrent candidates never lead at the same time", async () => {
  const leases = new FakeLeases();
  const cs = ["a", "b", "c", "d"].map((id) => candidate(leases, id));
  let overlap = false;
  const check = setInterval(() => {
    if (cs.filter((c) => c.elector.isLeader()).length > 1) overlap = true;
  }, 5);
  for (let round = 0; round < 3; round++) {
    await until(() => cs.some((c) => c.elector.isLeader()));
    const leader = cs.find((c) => c.elector.isLeader())!;
    leader.ac.abort();
    await leader.done;
    cs.splice(cs.indexOf(leader), 1);
  }
  clearInterval(check);
  for (const c of cs) c.ac.abort();
  await Promise.all(cs.map((c) => c.done));
  assert.equal(overlap, false);
});
