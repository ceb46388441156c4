// The sample controller reconciles real objects on a real apiserver.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Manager, silentLogger } from "../../controllers/runtime/index.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { Client } from "../../sdk/index.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { addEnvironmentTargetsController } from "./sample-reconciler.ts";

let env: TestEnv;
let client: Client;
let mgr: Manager;

before(async () => {
  env = await startEnv({ listen: true });
  client = await Client.fromKubeconfig({ path: env.server.kubeconfigPath });
  mgr = new Manager({ client, log: silentLogger });
  addEnvironmentTargetsController(mgr);
  void mgr.start();
});

after(async () => {
  await mgr.stop();
  client.close();
  await env.stop();
});

const target = (name: string, tier: string): Target => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Target",
  metadata: { name, namespace: "default", labels: { tier } },
  spec: { driver: "docker", docker: { socket: "/var/run/docker.sock" } },
});

/** Polls the Environment until its status names exactly `names`. */
async function expectTargets(name: string, names: string[]): Promise<void> {
  const envs = client.resource<Environment>(environmentKind);
  for (;;) {
    const e = await envs.get(name);
    const got = e.status?.targets?.map((t) => t.name) ?? [];
    if (JSON.stringify(got) === JSON.stringify(names)) {
      assert.equal(e.status?.totalTargets, names.length);
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("the sample controller keeps an environment's targets in its status", async () => {
  const targets = client.resource<Target>(targetKind);
  const envs = client.resource<Environment>(environmentKind);
  await targets.create(target("web-1", "prod"));
  await targets.create(target("web-2", "prod"));
  await targets.create(target("dev-1", "dev"));
  await envs.create({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name: "prod" },
    spec: { targetSelector: { matchLabels: { tier: "prod" } } },
  });
  await expectTargets("prod", ["web-1", "web-2"]);

  await targets.create(target("web-3", "prod"));
  await expectTargets("prod", ["web-1", "web-2", "web-3"]);
  await targets.delete("web-1");
  await expectTargets("prod", ["web-2", "web-3"]);
  await targets.patch("dev-1", { metadata: { labels: { tier: "prod" } } }, { type: "merge" });
  await expectTargets("prod", ["dev-1", "web-2", "web-3"]);

  await envs.patch("prod", { spec: { targetSelector: { matchLabels: { tier: "dev" } } } }, { type: "merge" });
  await expectTargets("prod", []);
});
