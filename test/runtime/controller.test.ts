// The controller runtime on a real apiserver: owned children wake their owner, status writes do
// not wake a generation-filtered controller, and retries back off until the world allows success.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { generationChanged, Manager, silentLogger, type Request } from "../../controllers/runtime/index.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { Client } from "../../sdk/index.ts";
import { startEnv, type TestEnv } from "../env.ts";

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

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

const environment = (name: string): Environment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name },
  spec: { targetSelector: {} },
});

test("a change to an owned child wakes its controlling owner; status writes do not wake it", async () => {
  const calls: string[] = [];
  const mgr = new Manager({ client, log: silentLogger });
  mgr.addController({
    name: "owner",
    for: environmentKind,
    owns: [targetKind],
    predicates: [generationChanged()],
    reconciler: { reconcile: async (r: Request) => void calls.push(r.name) },
  });
  void mgr.start();
  const envs = client.resource<Environment>(environmentKind);
  const owner = await envs.create(environment("owner"));
  await until(() => calls.length >= 1);

  const child: Target = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: {
      name: "child",
      ownerReferences: [
        {
          apiVersion: "release.stella.io/v1alpha1",
          kind: "Environment",
          name: "owner",
          uid: owner.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: { driver: "docker", docker: { socket: "/var/run/docker.sock" } },
  };
  await client.resource<Target>(targetKind).create(child);
  await until(() => calls.length >= 2);
  await client.resource<Target>(targetKind).patch("child", { spec: { unschedulable: true } }, { type: "merge" });
  await until(() => calls.length >= 3);

  await envs.updateStatus({ ...(await envs.get("owner")), status: { phase: "Ready" } });
  await envs.create(environment("marker")); // once the marker is reconciled, the status event has been seen
  await until(() => calls.includes("marker"));
  assert.deepEqual(calls, ["owner", "owner", "owner", "marker"]);
  await mgr.stop();
});

test("a reconcile that fails is retried with backoff until it succeeds", async () => {
  let attempts = 0;
  const mgr = new Manager({ client, log: silentLogger });
  const c = mgr.addController({
    name: "flaky",
    for: environmentKind,
    reconciler: {
      reconcile: async ({ name }) => {
        if (name !== "flaky") return;
        attempts++;
        await client.resource<Target>(targetKind).get("needed"); // NotFound until the test creates it
      },
    },
  });
  void mgr.start();
  await client.resource<Environment>(environmentKind).create(environment("flaky"));
  await until(() => attempts >= 3);
  assert.ok(c.queue.numRequeues("default/flaky") >= 2);
  await client.resource<Target>(targetKind).create({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: "needed" },
    spec: { driver: "docker", docker: { socket: "/x.sock" } },
  });
  await until(() => c.queue.numRequeues("default/flaky") === 0);
  await mgr.stop();
});
