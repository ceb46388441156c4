// `stella diff`: kubectl's contract — exit 0 without differences, 1 with, 2 on error — and a
// unified diff of the live object against the server's dry run, nothing stored.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { collection } from "../fixtures.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { documents, environmentYaml } from "./manifests.ts";
import { stella } from "./run-stella.ts";

let env: TestEnv;
let kubeconfig: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
});
after(() => env.stop());

test("diff exits 1 with a unified diff when apply would change something, 0 when not, 2 on error", async () => {
  const v1 = environmentYaml("dev", "shop", "  displayName: Development\n");
  const before = await stella(["diff", "-f", "-"], { kubeconfig, input: v1 });
  assert.equal(before.code, 1, before.stderr);
  assert.match(
    before.stdout,
    /^diff -u -N live\/release\.stella\.io\.v1alpha1\.Environment\.shop\.dev merged\/release\.stella\.io\.v1alpha1\.Environment\.shop\.dev\n--- live\/.*\n\+\+\+ merged\/.*\n@@ -0,0 \+1,\d+ @@\n\+apiVersion: release\.stella\.io\/v1alpha1\n/,
  );
  assert.equal(
    (await env.request("GET", `${collection("environments", "shop")}/dev`)).status,
    404,
    "diff stores nothing",
  );

  assert.equal((await stella(["apply", "-f", "-"], { kubeconfig, input: v1 })).code, 0);
  const same = await stella(["diff", "-f", "-"], { kubeconfig, input: v1 });
  assert.equal(same.code, 0, same.stderr);
  assert.equal(same.stdout, "");

  const changed = await stella(["diff", "-f", "-"], {
    kubeconfig,
    input: environmentYaml("dev", "shop", "  displayName: Dev\n"),
  });
  assert.equal(changed.code, 1);
  assert.match(changed.stdout, /^-  displayName: Development\n\+  displayName: Dev$/m);
  assert.match(changed.stdout, /^-  generation: 1\n\+  generation: 2$/m);
  assert.doesNotMatch(changed.stdout, /managedFields/);

  const invalid = await stella(["diff", "-f", "-"], {
    kubeconfig,
    input: documents([v1, environmentYaml("bad", "shop").replace("targetSelector", "targetSelecter")]),
  });
  assert.equal(invalid.code, 2);
  assert.match(
    invalid.stderr,
    /^stella diff: <stdin> document 2 \(environment\.release\.stella\.io\/bad\): invalid: /m,
  );
  const unreachable = await stella(["diff", "-f", "-", "--kubeconfig", "/nonexistent"], { input: v1 });
  assert.equal(unreachable.code, 2);
});
