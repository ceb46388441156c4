// `stella canary promote|abort` and `stella get canaries` against a real apiserver. Canaries and
// their status are written directly (no controller runs); the CLI's patches and refusals are
// checked against what is stored. Admission refuses a condition that is not CEL, naming the field.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { CanaryStatus } from "../../crds/canary.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";
import { create, createNamespace, read, setStatus } from "./deployment-objects.ts";
import { stella } from "./run-stella.ts";

const NS = "canary-cli";
let env: TestEnv;
let kubeconfig: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  await createNamespace(env, NS);
});
after(() => env.stop());

const run = (...args: string[]) => stella([...args, "-n", NS], { kubeconfig });

const canary = (name: string, successCondition = "result < 0.01") => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Canary",
  metadata: { name, namespace: NS },
  spec: {
    release: "shop-1-5-0",
    environment: "prod",
    component: "web",
    router: { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:9999", backend: "shop_web" } },
    steps: [{ setWeight: 10 }, { analysis: { metrics: ["error-rate"] } }, { pause: {} }, { setWeight: 100 }],
    analysis: {
      metrics: [
        {
          name: "error-rate",
          successCondition,
          provider: { prometheus: { address: "http://127.0.0.1:9090", query: "vector(0)" } },
        },
      ],
    },
  },
});

async function withStatus(name: string, status: CanaryStatus) {
  await create(env, "canaries", NS, canary(name));
  await setStatus(env, "canaries", NS, name, status);
}

test("promote releases the pause at the current step; abort sets spec.abort; both say so", async () => {
  await withStatus("c-paused", { phase: "Paused", currentStepIndex: 2, currentWeight: 10 });
  const promoted = await run("canary", "promote", "c-paused");
  assert.equal(promoted.code, 0, promoted.stderr);
  assert.equal(promoted.stdout, "canary.release.stella.io/c-paused released from the pause at step 2\n");
  assert.equal((await read(env, "canaries", NS, "c-paused")).spec.promotedStep, 2);

  const aborted = await run("canary", "abort", "c-paused");
  assert.equal(aborted.code, 0, aborted.stderr);
  assert.equal((await read(env, "canaries", NS, "c-paused")).spec.abort, true);
});

test("promote of a canary that is not paused is refused by phase; --full skips the remaining steps", async () => {
  await withStatus("c-running", {
    phase: "Progressing",
    currentStepIndex: 1,
    currentWeight: 10,
    analysisRuns: [{ step: 1, phase: "Running" }],
  });
  const refused = await run("canary", "promote", "c-running");
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /canary c-running is Progressing, not paused; use --full/);
  const full = await run("canary", "promote", "c-running", "--full");
  assert.equal(full.code, 0, full.stderr);
  assert.equal((await read(env, "canaries", NS, "c-running")).spec.promoteFull, true);
});

test("get canaries shows step, weight and phase", async () => {
  const got = await run("get", "canaries");
  assert.equal(got.code, 0, got.stderr);
  const header = got.stdout.split("\n")[0];
  for (const column of ["STEP", "WEIGHT", "ANALYSIS", "PHASE"]) assert.ok(header.includes(column), header);
  assert.match(got.stdout, /c-paused\s+shop-1-5-0\s+prod\s+web\s+2\s+10\s+Paused/);
  assert.match(got.stdout, /c-running\s+shop-1-5-0\s+prod\s+web\s+1\s+10\s+Running\s+Progressing/);
});

test("a condition that is not CEL over result is refused at admission, naming the field", async () => {
  const r = await env.request("POST", collection("canaries", NS), canary("c-bad", "results < 0.01"));
  assert.equal(r.status, 422, r.text);
  assert.match(r.text, /spec\.analysis\.metrics\[0\]\.successCondition/);
  assert.match(r.text, /Unknown variable: results/);
});

test("canary status shows the step, the confirmed weight and each analysis run with its measurements", async () => {
  await withStatus("c-status", {
    phase: "Paused",
    stableRelease: "shop-1-4-0",
    currentStepIndex: 2,
    currentWeight: 10,
    conditions: [{ type: "Healthy", status: "True", reason: "PausedForPromote", message: "waiting" }],
    analysisRuns: [
      {
        step: 1,
        phase: "Successful",
        metrics: [
          {
            name: "error-rate",
            phase: "Successful",
            message: "every measurement successful",
            measurements: [{ phase: "Successful", value: "0.002" }],
          },
        ],
      },
    ],
  });
  const shown = await run("canary", "status", "c-status");
  assert.equal(shown.code, 0, shown.stderr);
  const lines = shown.stdout.split("\n");
  assert.equal(lines[0], "canary/c-status: shop-1-4-0 -> shop-1-5-0 in prod (web) via haproxy");
  assert.match(shown.stdout, /^Phase: +Paused \(PausedForPromote\)/m);
  assert.match(shown.stdout, /^Step: +2\/4 pause \(until promote\)$/m);
  assert.match(shown.stdout, /^Weight: +10%$/m);
  assert.match(shown.stdout, /^ +1 +error-rate +Successful +1\/1 +0\.002 +every measurement successful$/m);
});

test("retry runs an aborted canary again and clears abort; a running canary is not retried", async () => {
  await withStatus("c-aborted", { phase: "Aborted", currentStepIndex: 1, currentWeight: 0 });
  await env.request(
    "PATCH",
    `${collection("canaries", NS)}/c-aborted`,
    { spec: { abort: true } },
    {
      "content-type": "application/merge-patch+json",
    },
  );
  const retried = await run("canary", "retry", "c-aborted");
  assert.equal(retried.code, 0, retried.stderr);
  assert.match(retried.stdout, /retried \(retry 1\)/);
  const spec = (await read(env, "canaries", NS, "c-aborted")).spec;
  assert.deepEqual([spec.retry, spec.abort], [1, undefined]);

  await withStatus("c-progressing", { phase: "Progressing", currentStepIndex: 0 });
  const refused = await run("canary", "retry", "c-progressing");
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is Progressing; only an aborted or failed canary is retried/);
});
