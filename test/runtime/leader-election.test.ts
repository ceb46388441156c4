// Two managers share a lease with the default timings (15 s lease, 10 s renew deadline, 2 s
// retry). The leader runs in a child process and is killed with SIGKILL — no release, no last
// words — and the follower must take over within one lease duration.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { Manager, silentLogger } from "../../controllers/runtime/index.ts";
import { environmentKind } from "../../crds/environment.ts";
import { leaseKind, type Lease } from "../../crds/lease.ts";
import { Client } from "../../sdk/index.ts";
import { startEnv, type TestEnv } from "../env.ts";

const LEASE_MS = 15_000;
let env: TestEnv;
let client: Client;

before(async () => {
  env = await startEnv({ listen: true });
  client = await Client.fromKubeconfig({ path: env.server.kubeconfigPath });
});

after(async () => {
  client.close();
  await env.stop();
});

function startChild(lease: string, identity: string) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      new URL("./leader-child.ts", import.meta.url).pathname,
      env.server.kubeconfigPath,
      lease,
      identity,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const leading = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("LEADING") && resolve());
    child.once("exit", (code) => reject(new Error(`child exited with ${code}`)));
  });
  return { child, leading };
}

async function renewalOf(lease: string, after?: string): Promise<Lease> {
  for (;;) {
    const l = await client.resource<Lease>(leaseKind).get(lease);
    if (l.spec.renewTime !== after) return l;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("when the leader is killed, the follower takes over within one lease duration", async (t) => {
  const a = startChild("failover", "a");
  await a.leading;
  let reconciled = 0;
  const b = new Manager({ client, leaderElection: { leaseName: "failover", identity: "b" }, log: silentLogger });
  b.addController({ name: "noop", for: environmentKind, reconciler: { reconcile: async () => void reconciled++ } });
  const running = b.start();
  await client.resource(environmentKind).create({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name: "e" },
    spec: { targetSelector: {} },
  });

  // Kill mid-way between two renewals, so the last renewal has surely completed.
  const held = await renewalOf("failover", (await renewalOf("failover")).spec.renewTime);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(b.isLeader(), false, "the follower waits while the leader renews");
  assert.equal(reconciled, 0, "a follower does not reconcile");
  a.child.kill("SIGKILL");
  const killedAt = Date.now();
  await once(a.child, "exit");

  await b.elected();
  const tookOver = Date.now() - killedAt;
  const lease = await client.resource<Lease>(leaseKind).get("failover");
  assert.equal(lease.spec.holderIdentity, "b");
  assert.equal(lease.spec.leaseTransitions, 1);
  const waited = Date.parse(lease.spec.acquireTime!) - Date.parse(held.spec.renewTime!);
  assert.ok(waited >= LEASE_MS, `took the lease ${waited} ms after the last renewal: not before it expired`);
  assert.ok(tookOver <= LEASE_MS, `took over ${tookOver} ms after the kill`);
  t.diagnostic(`follower took over ${tookOver} ms after SIGKILL, ${waited} ms after the last renewal`);
  while (reconciled === 0) await new Promise((r) => setTimeout(r, 20));
  await b.stop();
  await running;
  assert.equal(
    (await client.resource<Lease>(leaseKind).get("failover")).spec.holderIdentity,
    undefined,
    "released on graceful stop",
  );
});

test("a leader that stops gracefully hands over at once", async (t) => {
  const a = new Manager({ client, leaderElection: { leaseName: "handover", identity: "a" }, log: silentLogger });
  const b = new Manager({ client, leaderElection: { leaseName: "handover", identity: "b" }, log: silentLogger });
  void a.start();
  await a.elected();
  void b.start();
  await new Promise((r) => setTimeout(r, 500));
  const stoppedAt = Date.now();
  await a.stop();
  await b.elected();
  const handover = Date.now() - stoppedAt;
  assert.ok(handover < LEASE_MS, `handed over in ${handover} ms, without waiting for expiry`);
  t.diagnostic(`graceful handover in ${handover} ms`);
  await b.stop();
});
