// `stella rollout pause|resume|abort|retry|status` against a real apiserver. Deployments and their
// status are written directly (no controller runs), then the CLI's patches and refusals are
// checked against what is stored.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { createNamespace, deployment, read, setStatus } from "./deployment-objects.ts";
import { startStella, stella } from "./run-stella.ts";

const NS = "rollout-cli";
let env: TestEnv;
let kubeconfig: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  await createNamespace(env, NS);
});
after(() => env.stop());

const run = (...args: string[]) => stella([...args, "-n", NS], { kubeconfig });
const spec = async (name: string) => (await read(env, "deployments", NS, name)).spec;

test("pause, resume and abort patch the spec of a running deployment and say so", async () => {
  await deployment(env, NS, "d-run", {}, { phase: "Progressing" });
  const paused = await run("rollout", "pause", "d-run");
  assert.equal(paused.code, 0, paused.stderr);
  assert.equal(paused.stdout, "deployment.release.stella.io/d-run paused\n");
  assert.equal((await spec("d-run")).paused, true);

  const again = await run("rollout", "pause", "d-run");
  assert.equal(again.code, 1);
  assert.equal(again.stderr, "stella rollout: deployment d-run is already paused\n");

  const resumed = await run("rollout", "resume", "deployment/d-run");
  assert.equal(resumed.stdout, "deployment.release.stella.io/d-run resumed\n");
  assert.equal((await spec("d-run")).paused, false);

  const aborted = await run("rollout", "abort", "d-run");
  assert.equal(aborted.stdout, "deployment.release.stella.io/d-run aborted\n");
  assert.equal((await spec("d-run")).abort, true);
  const managers = (await read(env, "deployments", NS, "d-run")).metadata.managedFields.map(
    (m: { manager: string }) => m.manager,
  );
  assert.ok(managers.includes("stella-rollout"), managers.join(","));
});

test("retry raises spec.retry on a Failed (or RolledBack) deployment only; other phases are refused by name", async () => {
  await deployment(
    env,
    NS,
    "d-failed",
    { retry: 2 },
    { phase: "Failed", observedRetry: 2, message: "progress deadline exceeded" },
  );
  const retried = await run("rollout", "retry", "d-failed");
  assert.equal(retried.code, 0, retried.stderr);
  assert.equal(retried.stdout, "deployment.release.stella.io/d-failed retried\n");
  assert.equal((await spec("d-failed")).retry, 3);
  const twice = await run("rollout", "retry", "d-failed");
  assert.equal(twice.code, 1);
  assert.equal(
    twice.stderr,
    "stella rollout: a retry of deployment d-failed is already pending (spec.retry 3, observed 2)\n",
  );

  await deployment(env, NS, "d-done", {}, { phase: "Succeeded" });
  const before = await read(env, "deployments", NS, "d-done");
  const retry = await run("rollout", "retry", "d-done");
  assert.equal(retry.code, 1);
  assert.equal(retry.stderr, "stella rollout: deployment d-done succeeded; nothing to retry\n");
  const pause = await run("rollout", "pause", "d-done");
  assert.equal(pause.stderr, "stella rollout: deployment d-done succeeded; nothing to pause\n");
  const after = await read(env, "deployments", NS, "d-done");
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, "a refusal writes nothing");
});

test("mistakes: an unknown deployment is the server's NotFound; wrong arguments are usage errors", async () => {
  const missing = await run("rollout", "pause", "nope");
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'stella rollout: deployments.release.stella.io "nope" not found\n');
  assert.equal((await run("rollout", "pause")).code, 2);
  assert.equal((await run("rollout", "restart", "d-run")).code, 2);
  const wrongType = await run("rollout", "pause", "environment/dev");
  assert.equal(wrongType.code, 2);
  assert.match(wrongType.stderr, /not a deployment/);
});

test("status prints phase, progress and targets; exit 1 for a deployment that ended badly", async () => {
  await deployment(
    env,
    NS,
    "d-status",
    { strategy: { type: "Rolling", maxParallel: 1 } },
    {
      phase: "Progressing",
      totalTargets: 2,
      healthyTargets: 1,
      progress: "1/2",
      targets: [
        { name: "docker-1", phase: "Succeeded", batch: 0 },
        { name: "docker-2", phase: "Progressing", batch: 1, message: "waiting for /healthz" },
      ],
    },
  );
  const shown = await run("rollout", "status", "d-status");
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(
    shown.stdout,
    [
      'deployment "d-status": release shop-1-4-0 into environment dev, strategy Rolling',
      "Progressing: 1/2 targets healthy",
      "  docker-1: Succeeded",
      "  docker-2: Progressing (batch 1) — waiting for /healthz",
      "",
    ].join("\n"),
  );
  await deployment(
    env,
    NS,
    "d-back",
    {},
    { phase: "RolledBack", rollback: { release: "shop-1-3-0", reason: "web unhealthy on docker-2" } },
  );
  const back = await run("rollout", "status", "d-back");
  assert.equal(back.code, 1);
  assert.match(back.stdout, /deployment "d-back" was rolled back to release shop-1-3-0: web unhealthy on docker-2\n$/);
});

test("status -w follows the deployment until it ends: exit 0 on Succeeded", async () => {
  await deployment(env, NS, "d-watch", {}, { phase: "Pending", waitingFor: "d-other" });
  const watch = startStella(["rollout", "status", "d-watch", "-w", "-n", NS], { kubeconfig });
  await watch.waitFor((l) => l.startsWith("Pending: waiting for deployment d-other"));
  await setStatus(env, "deployments", NS, "d-watch", {
    phase: "Progressing",
    totalTargets: 1,
    healthyTargets: 0,
    progress: "0/1",
    targets: [{ name: "docker-1", phase: "Progressing" }],
  });
  await watch.waitFor((l) => l === "  docker-1: Progressing");
  await setStatus(env, "deployments", NS, "d-watch", {
    phase: "Succeeded",
    totalTargets: 1,
    healthyTargets: 1,
    progress: "1/1",
    targets: [{ name: "docker-1", phase: "Succeeded" }],
  });
  assert.equal(await watch.exited, 0, watch.stderr.join("\n"));
  assert.deepEqual(watch.stdout, [
    'deployment "d-watch": release shop-1-4-0 into environment dev',
    "Pending: waiting for deployment d-other to release the environment",
    "Progressing: 0/1 targets healthy",
    "  docker-1: Progressing",
    "Succeeded: 1/1 targets healthy",
    "  docker-1: Succeeded",
    'deployment "d-watch" successfully rolled out',
  ]);
});

test("status -w exits 1 when the deployment fails, and waits through a retry the controller has not seen", async () => {
  await deployment(env, NS, "d-retry", { retry: 1 }, { phase: "Failed", observedRetry: 0, message: "web unhealthy" });
  const watch = startStella(["rollout", "status", "d-retry", "-w", "-n", NS], { kubeconfig });
  await watch.waitFor((l) => l.includes("retry requested"));
  await setStatus(env, "deployments", NS, "d-retry", { phase: "Progressing", observedRetry: 1 });
  await watch.waitFor((l) => l.startsWith("Progressing"));
  await setStatus(env, "deployments", NS, "d-retry", {
    phase: "Failed",
    observedRetry: 1,
    message: "web unhealthy again",
  });
  assert.equal(await watch.exited, 1);
  assert.equal(watch.stdout.at(-1), 'deployment "d-retry" failed: web unhealthy again');

  const timeout = await run("rollout", "status", "d-run", "-w", "--timeout=1s");
  assert.equal(timeout.code, 1);
  assert.match(timeout.stderr, /^stella rollout: timed out after 1s waiting for deployment "d-run" to finish/);
});

test("status -w fails when the deployment is deleted before it ends", async () => {
  await deployment(env, NS, "d-gone", {}, { phase: "Progressing" });
  const watch = startStella(["rollout", "status", "d-gone", "-w", "-n", NS], { kubeconfig });
  await watch.waitFor((l) => l.startsWith("Progressing"));
  assert.equal(
    (await env.request("DELETE", `/apis/release.stella.io/v1alpha1/namespaces/${NS}/deployments/d-gone`)).status,
    200,
  );
  assert.equal(await watch.exited, 1);
  assert.deepEqual(watch.stderr, ['stella rollout: deployment "d-gone" was deleted before it finished']);
});

test("stella help lists the deployment commands; each has help with examples", async () => {
  const help = await stella(["help"]);
  for (const command of ["rollout", "rollback", "deployment"])
    assert.match(help.stdout, new RegExp(`^  ${command} +\\S`, "m"), command);
  for (const args of [
    ["rollout", "--help"],
    ["rollout", "retry", "--help"],
    ["rollout", "status", "--help"],
    ["rollback", "--help"],
    ["deployment", "artifacts", "--help"],
  ]) {
    const res = await stella(args);
    assert.equal(res.code, 0, args.join(" "));
    assert.match(res.stdout, /Usage: stella /, args.join(" "));
    assert.match(res.stdout, /Examples:\n {2}stella /, args.join(" "));
  }
});
