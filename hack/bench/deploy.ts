// Benchmark of deployments on the local estate, written to bench/deploy.md:
//   1. convergence: a Deployment of one release of BENCH_CONTAINERS (default 20) web containers on
//      one docker target, from create to phase Succeeded (every container healthy), beside
//      `docker-compose up -d` of the same containers (same digests, host network, init) until every
//      one answers its health URL — in the same run, alternating, BENCH_ROUNDS rounds (default 3),
//      every round from no containers (images are already on the engine);
//   2. rollback: the time from the failed health check (the verdict that failed the target) to
//      traffic back on the previous release, with the previous units still running (AllAtOnce) and
//      after they were stopped first (Rolling, maxUnavailable 1).
// The server runs as `stella server` in a child process (PGlite) with its controllers in-process.
// Needs the estate: hack/estate.sh up. Run: npx tsx hack/bench/deploy.ts
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { namespaceKind } from "../../crds/namespace.ts";
import { releaseKind, type Release, type ReleaseComponent } from "../../crds/release.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { Client } from "../../sdk/index.ts";
import { startServerProcess } from "./server-process.ts";
import { quantile } from "./stats.ts";
import { waitPhase, waitRelease } from "./resource-waits.ts";
import { writeSections } from "./report-sections.ts";

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REGISTRY = process.env.STELLA_TEST_REGISTRY ?? "127.0.0.1:5000";
const NS = "bench-deploy";
const BASELINE_PORT = 26000;
const run = promisify(execFile);
const sh = async (cmd: string, args: string[]) => (await run(cmd, args, { maxBuffer: 16 << 20 })).stdout.trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => (ms / 1000).toFixed(2);

const webComponent = (name: string, tag: string, check: object = {}): ReleaseComponent => ({
  name,
  image: `${REGISTRY}/shop/web:${tag}`,
  command: ["sh", "-c", "exec httpd -f -p 127.0.0.1:$PORT -h /www"],
  ports: [{ name: "http", containerPort: 8080 }],
  healthCheck: {
    http: { path: "/healthz", port: "http" },
    interval: "250ms",
    timeout: "250ms",
    healthyThreshold: 1,
    unhealthyThreshold: 3,
    startPeriod: "2s",
    ...check,
  },
});
const meta = (name: string) => ({ name, namespace: NS });

async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(500) })).ok;
  } catch {
    return false;
  }
}

async function removeByLabel(label: string): Promise<void> {
  const ids = (await sh("docker", ["ps", "-aq", "--filter", `label=${label}`])).split("\n").filter(Boolean);
  if (ids.length) await sh("docker", ["rm", "-f", ...ids]);
}

async function main(): Promise<void> {
  const server = await startServerProcess(0);
  const client = Client.fromConfig({ server: server.url, caCertPem: server.ca, token: server.token, namespace: NS });
  const releases = client.resource<Release>(releaseKind);
  const deployments = client.resource<Deployment>(deploymentKind);
  const environments = client.resource<Environment>(environmentKind);
  const targets = client.resource<Target>(targetKind);
  const composeDir = mkdtempSync(join(tmpdir(), "stella-bench-compose-"));
  const out: string[] = [];
  try {
    await removeByLabel(`stella.io/namespace=${NS}`);
    await client.resource(namespaceKind).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    const components = Array.from({ length: CONTAINERS }, (_, i) => webComponent(`web-${i + 1}`, "1.4.0"));
    await releases.create({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Release",
      metadata: meta("many"),
      spec: { version: "1.4.0", components },
    });
    const resolved = await waitRelease(releases, "many");
    const digestRef = resolved.status?.components?.[0].imageRef ?? "";

    // The same containers as a compose file, for the baseline.
    const services = Object.fromEntries(
      components.map((c, i) => [
        c.name,
        {
          image: digestRef,
          network_mode: "host",
          init: true,
          command: ["sh", "-c", `exec httpd -f -p 127.0.0.1:${BASELINE_PORT + i} -h /www`],
          labels: { "stella.bench": "baseline" },
        },
      ]),
    );
    const composeFile = join(composeDir, "docker-compose.yml");
    writeFileSync(composeFile, stringify({ version: "2.4", services }));

    const stella: number[] = [];
    const compose: number[] = [];
    const composeUp: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Stella: create -> Succeeded (every container healthy).
      const env = `conv-${round}`;
      await environments.create({
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Environment",
        metadata: meta(env),
        spec: {
          targetSelector: { matchLabels: { bench: env } },
          deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "5m" },
        },
      });
      await targets.create({
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Target",
        metadata: { ...meta(`${env}-docker`), labels: { bench: env } },
        spec: { driver: "docker", docker: { socket: "/var/run/docker.sock" } },
      });
      await sleep(500); // let the informers see the target
      const t0 = performance.now();
      await deployments.create({
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Deployment",
        metadata: meta(`${env}-d`),
        spec: { release: "many", environment: env },
      });
      const d = await waitPhase(deployments, `${env}-d`);
      if (d.status?.phase !== "Succeeded")
        throw new Error(`deployment ${env}-d ended ${d.status?.phase}: ${d.status?.message}`);
      stella.push(performance.now() - t0);
      await removeByLabel(`stella.io/environment=${env}`);

      // Baseline: docker-compose up -d, then until every container answers.
      const c0 = performance.now();
      await sh("docker-compose", ["-p", "stella-bench-baseline", "-f", composeFile, "up", "-d"]);
      composeUp.push(performance.now() - c0);
      for (let i = 0; i < CONTAINERS; i++) while (!(await answers(BASELINE_PORT + i))) await sleep(20);
      compose.push(performance.now() - c0);
      await sh("docker-compose", ["-p", "stella-bench-baseline", "-f", composeFile, "down", "-t", "1"]);
      console.error(
        `round ${round + 1}: stella ${s(stella.at(-1)!)} s, docker-compose ${s(compose.at(-1)!)} s (up -d returned after ${s(composeUp.at(-1)!)} s)`,
      );
    }

    // Rollback: failed health check -> previous release serving again.
    await releases.create({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Release",
      metadata: meta("good"),
      spec: {
        version: "1.4.0",
        components: [webComponent("web", "1.4.0", { unhealthyThreshold: 1, startPeriod: "1s" })],
      },
    });
    await releases.create({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Release",
      metadata: meta("bad"),
      spec: {
        version: "1.6.0",
        components: [webComponent("web", "1.6.0-broken", { unhealthyThreshold: 1, startPeriod: "1s" })],
      },
    });
    await waitRelease(releases, "good");
    await waitRelease(releases, "bad");
    const rollback: { name: string; ms: number[]; gapMs: number[] }[] = [];
    for (const [label, strategy] of [
      ["previous units still running (AllAtOnce)", { type: "AllAtOnce" }],
      ["previous units stopped first (Rolling, maxUnavailable 1)", { type: "Rolling", maxUnavailable: 1 }],
    ] as const) {
      const row = { name: label, ms: [] as number[], gapMs: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const env = `rb-${rollback.length}-${round}`;
        await environments.create({
          apiVersion: "release.stella.io/v1alpha1",
          kind: "Environment",
          metadata: meta(env),
          spec: {
            targetSelector: { matchLabels: { bench: env } },
            deployment: { strategy: strategy as never, progressDeadline: "5m", autoRollback: true },
          },
        });
        await targets.create({
          apiVersion: "release.stella.io/v1alpha1",
          kind: "Target",
          metadata: { ...meta(`${env}-docker`), labels: { bench: env } },
          spec: { driver: "docker", docker: { socket: "/var/run/docker.sock" } },
        });
        await sleep(500);
        await deployments.create({
          apiVersion: "release.stella.io/v1alpha1",
          kind: "Deployment",
          metadata: meta(`${env}-good`),
          spec: { release: "good", environment: env },
        });
        if ((await waitPhase(deployments, `${env}-good`)).status?.phase !== "Succeeded")
          throw new Error(`${env}-good did not succeed`);
        const port = Number(
          /=(\d+)/.exec(
            await sh("docker", [
              "ps",
              "--format",
              '{{.Label "stella.io/ports"}}',
              "--filter",
              `label=stella.io/environment=${env}`,
            ]),
          )?.[1],
        );
        // Watch the previous release's port from outside while the bad release goes out and back.
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
        await deployments.create({
          apiVersion: "release.stella.io/v1alpha1",
          kind: "Deployment",
          metadata: meta(`${env}-bad`),
          spec: { release: "bad", environment: env },
        });
        const d = await waitPhase(deployments, `${env}-bad`);
        while (!(await answers(port))) await sleep(10);
        const back = Date.now();
        watching = false;
        await watcher;
        if (d.status?.phase !== "RolledBack")
          throw new Error(`${env}-bad ended ${d.status?.phase}: ${d.status?.message}`);
        const failedAt = Date.parse(d.status?.targets?.[0].completedAt ?? "");
        const lastDown = downs.at(-1);
        row.ms.push(Math.max(lastDown?.to ?? back, Date.parse(d.status?.rollback?.completedAt ?? "")) - failedAt);
        row.gapMs.push(downs.reduce((sum, g) => sum + ((g.to ?? back) - g.from), 0));
        await removeByLabel(`stella.io/environment=${env}`);
      }
      rollback.push(row);
      console.error(`rollback, ${label}: ${row.ms.map((v) => v.toFixed(0)).join(", ")} ms`);
    }

    const med = (v: number[]) => quantile(v, 0.5);
    const ratio = med(stella) / med(compose);
    out.push(
      "# Deployment benchmark",
      "",
      `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Docker Engine ${await sh("docker", ["version", "--format", "{{.Server.Version}}"])}, ${await sh("docker-compose", ["version", "--short"])} (docker-compose), PGlite store. Rerun: \`npx tsx hack/bench/deploy.ts\` (BENCH_CONTAINERS, BENCH_ROUNDS).`,
      "",
      `## Convergence of ${CONTAINERS} containers on the local engine (${ROUNDS} rounds, alternating, median)`,
      "",
      "Stella: a Deployment (AllAtOnce, one docker target, a release of " +
        CONTAINERS +
        " web components, HTTP health check every 250 ms, startPeriod 2 s) from create to phase Succeeded. Baseline: `docker-compose up -d` of the same containers (same digest, host network, init) until every one answers /healthz.",
      "",
      "| | median s | rounds s |",
      "|---|---|---|",
      `| Stella deployment (create → Succeeded, all healthy) | ${s(med(stella))} | ${stella.map(s).join(", ")} |`,
      `| docker-compose up -d, until every container answers | ${s(med(compose))} | ${compose.map(s).join(", ")} |`,
      `| (docker-compose up -d returning) | ${s(med(composeUp))} | ${composeUp.map(s).join(", ")} |`,
      "",
      `**Ratio Stella / docker-compose: ${ratio.toFixed(2)}** (goal ≤ 1.2).`,
      "",
      "## From the failed health check to traffic on the previous release",
      "",
      "One web component, health check every 250 ms, startPeriod 1 s, unhealthyThreshold 1. Measured from the moment the failing verdict was recorded (the failed target's completedAt) to the later of the rollback's completion and the previous release's port answering again (polled from outside every 10 ms). The gap is how long that port did not answer during the whole bad rollout.",
      "",
      "| previous release | median ms | rounds ms | port unanswered, ms per round |",
      "|---|---|---|---|",
      ...rollback.map(
        (r) =>
          `| ${r.name} | ${med(r.ms).toFixed(0)} | ${r.ms.map((v) => v.toFixed(0)).join(", ")} | ${r.gapMs.map((v) => v.toFixed(0)).join(", ")} |`,
      ),
      "",
    );
    // This bench owns the title and its two sections; the other benches' sections stay.
    const own = ["# Deployment benchmark", "## Convergence of", "## From the failed health check to traffic"];
    writeSections("bench/deploy.md", own, out.join("\n"), "# Deployment benchmark");
    console.log(out.join("\n"));
  } finally {
    await removeByLabel(`stella.io/namespace=${NS}`).catch(() => {});
    await sh("docker-compose", [
      "-p",
      "stella-bench-baseline",
      "-f",
      join(composeDir, "docker-compose.yml"),
      "down",
      "-t",
      "1",
    ]).catch(() => {});
    client.close();
    await server.stop();
  }
}

await main();
