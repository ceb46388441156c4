// Issue 3's "Done when", as a new user types it: create the namespace, apply the estate,
// watch the environments change, delete the estate.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { collection, EXAMPLES_DIR } from "../fixtures.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { startStella, stella } from "./run-stella.ts";

let env: TestEnv;
let kubeconfig: string;
const estate = `${EXAMPLES_DIR}estate.yaml`;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
});
after(() => env.stop());

test("create namespace, apply the estate, watch a change, delete the estate", async () => {
  const ns = await stella(["create", "namespace", "shop"], { kubeconfig });
  assert.equal(ns.code, 0, ns.stderr);
  assert.equal(ns.stdout, "namespace/shop created\n");

  const applied = await stella(["apply", "-f", estate], { kubeconfig });
  assert.equal(applied.code, 0, applied.stderr);
  assert.deepEqual(applied.stdout.trim().split("\n"), [
    "environment.release.stella.io/dev created",
    "environment.release.stella.io/staging created",
    "environment.release.stella.io/prod created",
    "target.release.stella.io/dev-docker created",
    "target.release.stella.io/staging-compose created",
    "target.release.stella.io/prod-web-1 created",
    "target.release.stella.io/prod-web-2 created",
    "target.release.stella.io/prod-nomad created",
    "target.release.stella.io/prod-ecs created",
  ]);
  const again = await stella(["apply", "-f", estate], { kubeconfig });
  assert.equal(again.code, 0, again.stderr);
  assert.ok(
    again.stdout
      .trim()
      .split("\n")
      .every((l) => l.endsWith(" unchanged")),
    again.stdout,
  );

  const listed = await stella(["get", "environments", "-n", "shop"], { kubeconfig });
  assert.equal(listed.code, 0, listed.stderr);
  const lines = listed.stdout.trim().split("\n");
  assert.match(lines[0], /^NAME\s+CURRENT\s+READY\s+PHASE\s+AGE$/);
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(/\s+/)[0]),
    ["dev", "prod", "staging"],
  );

  const watch = startStella(["get", "environments", "-n", "shop", "-w"], { kubeconfig });
  try {
    await watch.waitFor((l) => l.startsWith("staging"));
    // A controller's status write and a new environment both appear as they happen.
    const dev = (await env.request("GET", `${collection("environments", "shop")}/dev`)).body;
    const put = await env.request("PUT", `${collection("environments", "shop")}/dev/status`, {
      ...dev,
      status: { phase: "Ready" },
    });
    assert.equal(put.status, 200, put.text);
    const changed = await watch.waitFor((l) => /^dev\s+.*Ready/.test(l));
    assert.match(changed, /^dev\s+Ready\s+\S+$/);
    const qa = await stella(["apply", "-f", "-"], {
      kubeconfig,
      input:
        "apiVersion: release.stella.io/v1alpha1\nkind: Environment\nmetadata: {name: qa, namespace: shop}\nspec: {targetSelector: {matchLabels: {stella.io/environment: qa}}}\n",
    });
    assert.equal(qa.code, 0, qa.stderr);
    await watch.waitFor((l) => l.startsWith("qa "));
    assert.equal(watch.stdout[0].split(/\s+/)[0], "NAME", "one header, at the top");
    assert.equal(watch.stdout.filter((l) => l.startsWith("NAME")).length, 1);
  } finally {
    await watch.stop();
  }

  const deleted = await stella(["delete", "-f", estate], { kubeconfig });
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(deleted.stdout.trim().split("\n").length, 9);
  assert.match(deleted.stdout, /^environment\.release\.stella\.io "dev" deleted$/m);
  const gone = await stella(["get", "environments,targets", "-n", "shop", "-o", "name"], { kubeconfig });
  assert.equal(gone.code, 0, gone.stderr);
  assert.equal(gone.stdout, "environment.release.stella.io/qa\n", "only the environment applied from stdin is left");
});
