// Benchmark of the nomad and ecs drivers against their contract fakes (hack/nomad-fake,
// hack/ecs-fake; every allocation or task a real container on the local engine), written into
// bench/deploy.md (its "Nomad and ECS" section): a rollout of BENCH_UNITS (default 10) web units
// through the driver (apply, then until every unit answers its health URL), beside the fake's API
// called directly with the same artifacts the driver rendered (Nomad: one job registration; ECS:
// RegisterTaskDefinition + CreateService per unit) until every unit answers — same run,
// alternating, BENCH_ROUNDS rounds (default 3). API calls are what the fake counted per rollout.
// Needs the estate (hack/estate.sh up). Run: npx tsx hack/bench/platforms.ts
import { CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { ecsDriver } from "../../controllers/drivers/ecs/index.ts";
import { nomadDriver } from "../../controllers/drivers/nomad/index.ts";
import type { Target } from "../../crds/target.ts";
import { startEcsFake, type EcsFake } from "../ecs-fake/index.ts";
import { startNomadFake, type NomadFake } from "../nomad-fake/index.ts";
import { pinnedImage } from "../../sdk/testing/driver-conformance.ts";
import { MANAGED_BY, UnitLabels, type Driver, type UnitSet } from "../../sdk/plugins/driver.ts";
import type { Faults } from "../nomad-fake/faults.ts";
import { quantile } from "./stats.ts";
import { writeSections } from "./report-sections.ts";

const UNITS = Number(process.env.BENCH_UNITS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REGISTRY = process.env.STELLA_TEST_REGISTRY ?? "127.0.0.1:5000";
const PORT_BASE = 29500;
const CREDS = { accessKeyId: "AKIABENCHPLATFORMS", secretAccessKey: "bench-secret-key" };
const TOKEN = "bench-nomad-token";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => (ms / 1000).toFixed(2);
const total = (f: Faults) => [...f.calls.values()].reduce((a, b) => a + b, 0);

async function allAnswer(ports: number[]): Promise<void> {
  for (;;) {
    const ok = await Promise.all(
      ports.map((p) =>
        fetch(`http://127.0.0.1:${p}/healthz`, { signal: AbortSignal.timeout(500) }).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    if (ok.every(Boolean)) return;
    await sleep(100);
  }
}

function unitSet(image: string, round: number, mode: string, platform: string): UnitSet {
  return {
    namespace: `bench-${platform}`,
    environment: `${mode}-${round}`,
    release: "v1",
    deployment: `${mode}-${round}`,
    target: "bench",
    slot: "blue",
    strategy: { type: "AllAtOnce" },
    units: Array.from({ length: UNITS }, (_, i) => ({
      component: `web${i}`,
      imageRef: image,
      command: ["sh", "-c", "exec httpd -f -p 127.0.0.1:$PORT -h /www"],
      env: [],
      ports: [{ name: "http", containerPort: 8080, hostPort: PORT_BASE + i }],
      healthCheck: { http: { path: "/healthz", port: "http" }, interval: "1s", timeout: "1s" },
    })),
  };
}

const serviceTags = (set: UnitSet, component: string): Record<string, string> => ({
  [UnitLabels.managedBy]: MANAGED_BY,
  [UnitLabels.namespace]: set.namespace,
  [UnitLabels.environment]: set.environment,
  [UnitLabels.target]: set.target,
  [UnitLabels.component]: component,
  [UnitLabels.slot]: set.slot,
});

interface Platform {
  name: "nomad" | "ecs";
  faults: Faults;
  driver: Driver;
  /** Registers the rendered artifacts of `set` through the fake's API directly. */
  direct(set: UnitSet): Promise<void>;
}

async function nomad(fake: NomadFake): Promise<Platform> {
  const target = {
    metadata: { name: "bench", namespace: "bench" },
    spec: {
      driver: "nomad",
      nomad: { address: fake.address, datacenters: ["dc1"], tokenSecretRef: { name: "t", key: "token" } },
    },
  } as Target;
  const driver = await nomadDriver.create(target, { secretValue: async () => TOKEN });
  return {
    name: "nomad",
    faults: fake.faults,
    driver,
    async direct(set) {
      const job = JSON.parse(driver.render(set)[0].content);
      const res = await fetch(`${fake.address}/v1/jobs`, {
        method: "POST",
        headers: { "X-Nomad-Token": TOKEN },
        body: JSON.stringify({ Job: job }),
      });
      if (!res.ok) throw new Error(`register: ${res.status} ${await res.text()}`);
    },
  };
}

async function ecs(fake: EcsFake): Promise<Platform> {
  const spec = {
    region: "eu-west-1",
    cluster: "stella",
    launchType: "EC2" as const,
    endpoint: fake.endpoint,
    credentialsSecretRef: { name: "a" },
  };
  const target = { metadata: { name: "bench", namespace: "bench" }, spec: { driver: "ecs", ecs: spec } } as Target;
  const keys: Record<string, string> = {
    AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
  };
  const driver = await ecsDriver.create(target, {
    secretValue: async (ref) => keys[ref.key ?? ""] ?? Promise.reject(new Error("no key")),
  });
  const client = new ECSClient({ region: spec.region, endpoint: spec.endpoint, credentials: CREDS });
  return {
    name: "ecs",
    faults: fake.faults,
    driver,
    async direct(set) {
      for (const artifact of driver.render(set)) {
        const def = JSON.parse(artifact.content);
        const out = await client.send(new RegisterTaskDefinitionCommand(def));
        await client.send(
          new CreateServiceCommand({
            cluster: spec.cluster,
            serviceName: def.family,
            taskDefinition: out.taskDefinition!.taskDefinitionArn,
            desiredCount: 1,
            launchType: "EC2",
            deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 },
            // Stella's tags, so that the driver's remove cleans up after the baseline too
            tags: Object.entries(serviceTags(set, artifact.component!)).map(([key, value]) => ({ key, value })),
          }),
        );
      }
    },
  };
}

/** One rollout of `mode`; resolves with its seconds and API calls, after removing what it started. */
async function rollout(p: Platform, image: string, round: number, mode: "driver" | "direct") {
  const set = unitSet(image, round, mode, p.name);
  const calls = total(p.faults);
  const started = Date.now();
  if (mode === "driver")
    await p.driver.apply(set, {
      secretValue: () => Promise.reject(new Error("none")),
      pullCredential: async () => undefined,
    });
  else await p.direct(set);
  await allAnswer(set.units.map((u) => u.ports[0].hostPort));
  const ms = Date.now() - started;
  const used = total(p.faults) - calls;
  await p.driver.remove(await p.driver.observe({ namespace: set.namespace }));
  return { ms, calls: used };
}

async function main(): Promise<void> {
  const image = await pinnedImage(`${REGISTRY}/shop/web:1.4.0`);
  const nomadFake = await startNomadFake({ token: TOKEN });
  const ecsFake = await startEcsFake({ credentials: CREDS, clusters: ["stella"] });
  const rows: string[] = [];
  try {
    for (const p of [await nomad(nomadFake), await ecs(ecsFake)]) {
      const results: Record<string, { ms: number; calls: number }[]> = { driver: [], direct: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of round % 2 ? (["direct", "driver"] as const) : (["driver", "direct"] as const)) {
          const r = await rollout(p, image, round, mode);
          results[mode].push(r);
          console.error(`${p.name} ${mode} round ${round}: ${s(r.ms)} s, ${r.calls} API calls`);
          await sleep(1000);
        }
      }
      for (const mode of ["driver", "direct"] as const) {
        const ms = results[mode].map((r) => r.ms);
        const label =
          mode === "driver"
            ? `Stella's ${p.name} driver (apply, until all answer)`
            : `${p.name} API directly, same artifacts`;
        rows.push(
          `| ${label} | ${s(quantile(ms, 0.5))} | ${ms.map(s).join(", ")} | ${results[mode].map((r) => r.calls).join(", ")} |`,
        );
      }
      await p.driver.close();
    }
  } finally {
    await nomadFake.close();
    await ecsFake.close();
  }
  const section = [
    "## Nomad and ECS (contract fakes)",
    "",
    `Run ${new Date().toISOString()}; rerun: \`npx tsx hack/bench/platforms.ts\` (BENCH_UNITS, BENCH_ROUNDS). A rollout of ${UNITS} web units (one component each, busybox httpd, its own host port) onto each platform's contract fake, every allocation or task a real container; from the first API call until every unit answers /healthz from outside. Baseline: the same artifacts the driver rendered, registered through the fake's API by hand (Nomad: one job; ECS: RegisterTaskDefinition + CreateService per unit, minimumHealthyPercent 0), in the same run, alternating, ${ROUNDS} rounds. API calls: what the fake counted during the rollout (the driver's include its waits and reads back; the baseline polls nothing but the ports).`,
    "",
    "| | median s | rounds s | API calls per round |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
  writeSections("bench/deploy.md", ["## Nomad and ECS (contract fakes)"], section, "# Deployment benchmark");
  console.log(section);
}

await main();
