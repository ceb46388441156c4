// Conformance against a client no one here wrote: the official Kubernetes Python client (Debian's
// python3-kubernetes, installed by hack/services.sh) drives Stella through its dynamic client.
// It sends watch=True, so this also proves boolean query parameters are read as kube-apiserver does.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";

const SCRIPT = fileURLToPath(new URL("./python_dynamic.py", import.meta.url));
const PYTHON = "/usr/bin/python3";

const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(PYTHON, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({
        code: err ? ((err as { code?: number }).code ?? 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      });
    });
  });

/** Why the test cannot run here; under CI=true it must run, so this is never set. */
async function skipReason(): Promise<string | undefined> {
  if (process.env.CI === "true") return undefined;
  const probe = await run(["-c", "import kubernetes.dynamic"]);
  return probe.code === 0 ? undefined : "python3-kubernetes is not installed; run hack/services.sh up";
}

const skip = await skipReason();
let env: TestEnv;
before(async () => {
  if (skip) return;
  env = await startEnv({ listen: true });
  const ns = await env.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "py" },
  });
  assert.equal(ns.status, 201, ns.text);
});
after(() => env?.stop());

test("the Python dynamic client: discovery, CRUD, selectors, patch, watch, 409 and 422", { skip }, async () => {
  const r = await run([SCRIPT, env.server.kubeconfigPath, "py"]);
  assert.equal(r.code, 0, r.stderr);
  const seen = JSON.parse(r.stdout);
  assert.deepEqual(seen.discovery, { name: "environments", namespaced: true, shortNames: ["env"] });
  assert.equal(seen.created.uid, true);
  assert.equal(seen.get, "py-dev");
  assert.deepEqual(seen.list.names, ["py-prod"]);
  assert.deepEqual(seen.fieldSelector, ["py-dev"]);
  assert.equal(seen.patch, "yes");
  assert.deepEqual(
    seen.watch,
    [{ type: "MODIFIED", name: "py-dev" }],
    "exactly the change after the list's resourceVersion",
  );
  assert.deepEqual(seen.stale, { status: 409, reason: "Conflict" });
  assert.deepEqual(seen.invalid, { status: 422, fields: ["spec.noSuchField"] });
  assert.equal(seen.deleted, true);
});
