// Benchmark of deployments onto Nomad and ECS through the deployment controller (the apiserver and
// the controllers in this process, as test/deploy/deploy-env.ts starts them, host ports
// 29600-29899 so no other suite's units meet them), each platform its contract fake in this process (hack/nomad-fake,
// hack/ecs-fake: every allocation or task a real container), written into bench/deploy.md (its
// "Nomad and ECS through the deployment controller" section):
//   1. API calls per deployment of BENCH_TASKS (default 20) tasks: a release of that many web
//      components on one target, AllAtOnce, from create to Succeeded, then a second release over
//      it; the calls the fake counted, by action, beside the fewest a hand-made rollout needs;
//   2. rollback: from the failed health check (the failed target's completedAt) to the previous
//      release answering again and the rollback complete, with the docker driver in the same run as
//      the baseline (same releases, same strategy, same estate), BENCH_ROUNDS rounds (default 3).
// Needs the estate (hack/estate.sh up). Run: npx tsx hack/bench/platform-deploy.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { releaseKind, type Release, type ReleaseComponent } from "../../crds/release.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { dockerDriver } from "../../controllers/drivers/docker/index.ts";
import { ecsDriver } from "../../controllers/drivers/ecs/index.ts";
import { nomadDriver } from "../../controllers/drivers/nomad/index.ts";
import { startEcsFake } from "../ecs-fake/index.ts";
import { startNomadFake } from "../nomad-fake/index.ts";
import type { Faults } from "../nomad-fake/faults.ts";
import { startDeployEnv } from "../../test/deploy/deploy-env.ts";
import { removeNomadContainers } from "../../test/deploy/platform-env.ts";
import { quantile } from "./stats.ts";
import { waitPhase, waitRelease } from "./resource-waits.ts";
import { writeSections } from "./report-sections.ts";

const TASKS = Number(process.env.BENCH_TASKS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REGISTRY = process.env.STELLA_TEST_REGISTRY ?? "127.0.0.1:5000";
let NS = "";
const CREDS = { accessKeyId: "AKIABENCHPLATFORMDEPLOY", secretAccessKey: "bench-platform-deploy-secret" };
const TOKEN = "bench-platform-deploy-token";
const run = promisify(execFile);
const sh = async (cmd: string, args: string[]) => (await run(cmd, args, { maxBuffer: 16 << 20 })).stdout.trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const meta = (name: string) => ({ name, namespace: NS });
const api = "release.stella.io/v1alpha1";

const web = (name: string, tag: string, check: object = {}): ReleaseComponent => ({
  name,
  image: `${REGISTRY}/shop/web:${tag}`,
  command: ["sh", "-c", "exec httpd -f -p 127.0.0.1:$PORT -h /www"],
  ports: [{ name: "http", containerPort: 8080 }],
  healthCheck: {
    http: { path: "/healthz", port: "http" },
    interval: "1s",
    timeout: "2s",
    healthyThreshold: 1,
    unhealthyThreshold: 3,
    startPeriod: "1s",
    ...check,
  },
});

async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(500) })).ok;
  } catch {
    return false;
  }
}

type Driver = "docker" | "nomad" | "ecs";
const counted = (f: Faults) => new Map(f.calls);
function callsSince(f: Faults, before: Map<string, number>): Map<string, number> {
  const used = new Map<string, number>();
  for (const [k, v] of f.calls) if (v - (before.get(k) ?? 0) > 0) used.set(k, v - (before.get(k) ?? 0));
  return used;
}
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const breakdown = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");

async function main(): Promise<void> {
  const nomadFake = await startNomadFake({ token: TOKEN });
  const ecsFake = await startEcsFake({ credentials: CREDS, clusters: ["shop-prod"] });
  const de = await startDeployEnv({ ports: { from: 29600, to: 29899 } });
  NS = de.namespace;
  const client = de.admin;
  const releases = client.resource<Release>(releaseKind);
  const deployments = client.resource<Deployment>(deploymentKind);
  const environments = client.resource<Environment>(environmentKind);
  const targets = client.resource<Target>(targetKind);
  const faults: Record<Exclude<Driver, "docker">, Faults> = { nomad: nomadFake.faults, ecs: ecsFake.faults };
  const spec = (driver: Driver): Target["spec"] =>
    driver === "docker"
      ? { driver: "docker", docker: { socket: "/var/run/docker.sock" } }
      : driver === "nomad"
        ? {
            driver: "nomad",
            nomad: {
              address: nomadFake.address,
              namespace: "default",
              datacenters: ["dc1"],
              tokenSecretRef: { name: "nomad-token", key: "token" },
            },
          }
        : {
            driver: "ecs",
            ecs: {
              region: "eu-west-1",
              cluster: "shop-prod",
              launchType: "EC2",
              endpoint: ecsFake.endpoint,
              credentialsSecretRef: { name: "aws-credentials" },
            },
          };
  const place = async (env: string, driver: Driver, strategy: object) => {
    await environments.create({
      apiVersion: api,
      kind: "Environment",
      metadata: meta(env),
      spec: {
        targetSelector: { matchLabels: { bench: env } },
        deployment: { strategy: strategy as never, progressDeadline: "5m", autoRollback: true },
      },
    });
    await targets.create({
      apiVersion: api,
      kind: "Target",
      metadata: { ...meta(`${env}-t`), labels: { bench: env } },
      spec: spec(driver),
    } as Target);
    for (;;) {
      const t = await targets.get(`${env}-t`);
      if (t.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) break;
      await sleep(200);
    }
  };
  const deploy = async (env: string, name: string, release: string) => {
    await deployments.create({
      apiVersion: api,
      kind: "Deployment",
      metadata: meta(name),
      spec: { release, environment: env },
    });
    return waitPhase(deployments, name);
  };
  const sections: string[] = [];
  try {
    const secrets = client.resource<Secret>(secretKind);
    await secrets.create({
      apiVersion: api,
      kind: "Secret",
      metadata: meta("nomad-token"),
      stringData: { token: TOKEN },
    } as Secret);
    await secrets.create({
      apiVersion: api,
      kind: "Secret",
      metadata: meta("aws-credentials"),
      stringData: { AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey },
    } as Secret);
    const many = (tag: string) => Array.from({ length: TASKS }, (_, i) => web(`web-${i + 1}`, tag, { interval: "2s" }));
    await releases.create({
      apiVersion: api,
      kind: "Release",
      metadata: meta("many-1"),
      spec: { version: "1.4.0", components: many("1.4.0") },
    });
    await releases.create({
      apiVersion: api,
      kind: "Release",
      metadata: meta("many-2"),
      spec: { version: "1.5.0", components: many("1.5.0") },
    });
    await releases.create({
      apiVersion: api,
      kind: "Release",
      metadata: meta("good"),
      spec: { version: "1.4.0", components: [web("web", "1.4.0", { interval: "250ms", timeout: "250ms" })] },
    });
    await releases.create({
      apiVersion: api,
      kind: "Release",
      metadata: meta("bad"),
      spec: { version: "1.6.0", components: [web("web", "1.6.0-broken", { interval: "250ms", timeout: "250ms" })] },
    });
    for (const r of ["many-1", "many-2", "good", "bad"]) await waitRelease(releases, r);

    // 1. API calls per deployment of TASKS tasks.
    const callRows: string[] = [];
    for (const driver of ["nomad", "ecs"] as const) {
      const env = `calls-${driver}`;
      await place(env, driver, { type: "AllAtOnce" });
      for (const [name, release, what] of [
        [`${env}-1`, "many-1", "first release"],
        [`${env}-2`, "many-2", "next release over it"],
      ] as const) {
        const before = counted(faults[driver]);
        const t0 = performance.now();
        const d = await deploy(env, name, release);
        const ms = performance.now() - t0;
        if (d.status?.phase !== "Succeeded") throw new Error(`${name} ended ${d.status?.phase}: ${d.status?.message}`);
        await sleep(3000); // calls the controller still makes for it (status reads) count too
        const used = callsSince(faults[driver], before);
        const fewest =
          driver === "nomad"
            ? "1 (one job registration)"
            : `${2 * TASKS} (RegisterTaskDefinition + ${what === "first release" ? "CreateService" : "UpdateService"} per task)`;
        callRows.push(
          `| ${driver}, ${what} | ${sum(used)} | ${fewest} | ${(ms / 1000).toFixed(1)} | ${breakdown(used)} |`,
        );
        console.error(`${driver} ${what}: ${sum(used)} calls in ${(ms / 1000).toFixed(1)} s: ${breakdown(used)}`);
      }
      await clearEnv(env, await targets.get(`${env}-t`));
      await environments.delete(env).catch(() => undefined);
    }
    sections.push(
      `## Nomad and ECS through the deployment controller: API calls per deployment of ${TASKS} tasks`,
      "",
      `Run ${new Date().toISOString()}; rerun: \`npx tsx hack/bench/platform-deploy.ts\` (BENCH_TASKS, BENCH_ROUNDS). A Deployment (AllAtOnce, one target) of a release of ${TASKS} web components (one task or allocation each, HTTP health check every 2 s, healthyThreshold 1) onto each platform's contract fake, from create to Succeeded and 3 s after; the calls the fake counted (Nomad: by route; ECS: by action), beside the fewest calls a hand-made rollout of the same artifacts needs (a count, not a run). Fewer is better: ECS throttles per account and action.`,
      "",
      "| deployment | API calls | fewest by hand | create → Succeeded, s | by call |",
      "|---|---|---|---|---|",
      ...callRows,
      "",
    );

    // 2. Rollback: failed health check -> previous release answering again.
    const rows: string[] = [];
    for (const driver of ["docker", "nomad", "ecs"] as const) {
      const ms: number[] = [];
      const gaps: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const env = `rb-${driver}-${round}`;
        await place(env, driver, { type: "AllAtOnce" });
        const good = await deploy(env, `${env}-good`, "good");
        if (good.status?.phase !== "Succeeded")
          throw new Error(`${env}-good ended ${good.status?.phase}: ${good.status?.message}`);
        const port = await previousPort(env, await targets.get(`${env}-t`));
        let watching = true;
        const downs: { from: number; to?: number }[] = [];
        const watcher = (async () => {
          while (watching) {
            const ok = await answers(port);
            const now = Date.now();
            const open = downs.at(-1);
            if (!ok && (!open || open.to !== undefined)) downs.push({ from: now });
            if (ok && open && open.to === undefined) open.to = now;
            await sleep(10);
          }
        })();
        const d = await deploy(env, `${env}-bad`, "bad");
        while (!(await answers(port))) await sleep(10);
        const back = Date.now();
        watching = false;
        await watcher;
        if (d.status?.phase !== "RolledBack")
          throw new Error(`${env}-bad ended ${d.status?.phase}: ${d.status?.message}`);
        const failedAt = Date.parse(d.status?.targets?.[0].completedAt ?? "");
        ms.push(Math.max(downs.at(-1)?.to ?? back, Date.parse(d.status?.rollback?.completedAt ?? "")) - failedAt);
        gaps.push(downs.reduce((n, g) => n + ((g.to ?? back) - g.from), 0));
        console.error(
          `rollback ${driver} round ${round + 1}: ${ms.at(-1)} ms (port unanswered ${gaps.at(-1)} ms): ${d.status?.targets?.[0].message}`,
        );
        await clearEnv(env, await targets.get(`${env}-t`));
        await environments.delete(env).catch(() => undefined);
      }
      const label = driver === "docker" ? "docker driver (baseline, same run)" : `${driver} (contract fake)`;
      rows.push(
        `| ${label} | ${quantile(ms, 0.5).toFixed(0)} | ${ms.map((v) => v.toFixed(0)).join(", ")} | ${gaps.map((v) => v.toFixed(0)).join(", ")} |`,
      );
    }
    sections.push(
      "## Nomad and ECS: from the failed health check to the previous release serving again",
      "",
      `Same run. One web component (Stella's HTTP probe every 250 ms, timeout 250 ms, unhealthyThreshold 3, startPeriod 1 s; on ECS also the container health check every 5 s, timeout 2 s, 3 retries (ECS's minimums)), AllAtOnce with autoRollback: \`good\` (web 1.4.0) Succeeded, then \`bad\` (web 1.6.0-broken), which fails its health check and is rolled back. Measured from the failing verdict (the failed target's completedAt) to the later of the rollback's completion and the previous release's port answering again (polled from outside every 10 ms), ${ROUNDS} rounds; the docker driver on the same engine is the baseline. On docker and Nomad the previous units still run beside the bad ones (the other slot), so the rollback removes the bad ones: their figure is the remove path (Nomad: job revert) plus the controller's read back. On ECS AllAtOnce is an ECS rolling update in place (minimumHealthyPercent 0): the previous release's task was stopped for the bad one, so the rollback is another rolling update, of the previous revision over the bad one, and the figure includes starting its task and its turning healthy; the previous port is unanswered meanwhile (a BlueGreen deployment keeps the previous release running, for an instant rollback).`,
      "",
      "| target | median ms | rounds ms | previous port unanswered, ms per round |",
      "|---|---|---|---|",
      ...rows,
      "",
    );
  } finally {
    await de.stop();
    await nomadFake.close();
    await ecsFake.close();
    const ids = (await sh("docker", ["ps", "-aq", "--filter", `label=stella.io/namespace=${NS}`]))
      .split("\n")
      .filter(Boolean);
    if (ids.length) await sh("docker", ["rm", "-f", ...ids]);
    const fakeIds = (await sh("docker", ["ps", "-aq", "--filter", `label=stella.fake.instance=${ecsFake.instance}`]))
      .split("\n")
      .filter(Boolean);
    if (fakeIds.length) await sh("docker", ["rm", "-f", ...fakeIds]);
    await removeNomadContainers(NS); // the Nomad fake's containers carry its job id, not Stella's labels
  }
  const section = sections.join("\n");
  const own = ["## Nomad and ECS through the deployment controller", "## Nomad and ECS: from the failed health check"];
  writeSections("bench/deploy.md", own, section, "# Deployment benchmark");
  console.log(section);
}

/** A driver bound to `target` in this process, with the bench's credentials. */
async function bindDriver(target: Target) {
  const keys: Record<string, string> = {
    token: TOKEN,
    AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
  };
  const plugin = { docker: dockerDriver, nomad: nomadDriver, ecs: ecsDriver }[target.spec.driver as Driver];
  return plugin.create(target, {
    secretValue: async (ref) => keys[ref.key ?? ""] ?? Promise.reject(new Error("no key")),
  });
}

/** Removes what an environment left running, so its host ports are free for the next section. */
async function clearEnv(env: string, target: Target): Promise<void> {
  const driver = await bindDriver(target);
  try {
    await driver.remove(await driver.observe({ namespace: NS, environment: env }));
  } finally {
    await driver.close();
  }
}

/** The host port the previous release's web unit answers on, as the target's driver observes it. */
async function previousPort(env: string, target: Target): Promise<number> {
  const driver = await bindDriver(target);
  try {
    const units = await driver.observe({ namespace: NS, environment: env, release: "good" });
    const port = units.find((u) => u.running)?.ports[0]?.hostPort;
    if (!port) throw new Error(`no running unit of ${env} on ${target.spec.driver}`);
    return port;
  } finally {
    await driver.close();
  }
}

await main();
