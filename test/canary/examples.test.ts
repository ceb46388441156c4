// ../shared/examples/canary.yaml on the examples' prod, for real: prod-web-1 reached over SSH (the
// estate's sshd on 127.0.0.2:2222) and prod-web-2 served by a real agent process, with the
// estate's HAProxy (runtime API 127.0.0.1:9999, backend shop_web) in front and its Prometheus
// judging canary.yaml's error-rate query. prod runs shop-1-5-0; canary.yaml moves web to
// shop-1-4-0: a canary unit starts beside the stable one on each host, HAProxy's slots point at
// both hosts' units, the weights walk 10 -> 50, the analysis passes, the canary waits at its
// indefinite pause until `stella canary promote`, and ends with every request on 1.4.0 and prod's
// status.current saying shop-1-4-0, landed by the canary. Then the same canary through the estate's
// nginx takes prod back to shop-1-5-0, its analysis reading the same error rate from nginx's own
// counts (the router's access log, counted by the estate's mtail) instead of HAProxy's.
// As written except: its pause and analysis interval are seconds instead of minutes, its query's
// window 15 s instead of a minute (so only this test's requests are in it); prod's weekend freeze
// is lifted and its Nomad and ECS targets cordoned (test/canary/platforms.test.ts runs canaries
// there), as in the examples path; and prod-web-1 gets spec.unitAddress 127.0.0.1: the estate's
// SSH hosts are loopback aliases of one machine, and release.yaml's web binds 127.0.0.1, so that
// is where a router reaches its units.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { routerFor } from "../../controllers/canary/index.ts";
import { parseRuntimeAddress } from "../../controllers/routers/haproxy/runtime-api.ts";
import { readSlots } from "../../controllers/routers/haproxy/slots.ts";
import { parse } from "yaml";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { nginxRouterPlugin } from "../../controllers/routers/nginx/index.ts";
import { loadClientConfig } from "../../sdk/index.ts";
import type { RouteTarget } from "../../sdk/plugins/router.ts";
import { spawnAgent, type AgentProcess } from "../agent/agent-env.ts";
import { stella } from "../cli/run-stella.ts";
import {
  containers,
  hostPort,
  removeContainers,
  startDeployEnv,
  waitFor,
  type DeployEnv,
} from "../deploy/deploy-env.ts";
import { ESTATE_DIR, estateSkipReason } from "../estate/estate-env.ts";
import { holdEstateHaproxy } from "../estate/haproxy-lock.ts";
import { EXAMPLES_DIR, loadExample } from "../fixtures.ts";
import { PROMETHEUS_URL, prometheusSkipReason } from "../gates/prometheus-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import { sendVersions, startLoad } from "./canary-env.ts";
import { mtailSkipReason, nginxErrorRate } from "./router-sides.ts";

const skip =
  (await estateSkipReason()) ??
  (await routerSkipReason("haproxy")) ??
  (await prometheusSkipReason()) ??
  (await mtailSkipReason());
const NS = "shop";
/** The estate HAProxy's frontend (hack/estate/haproxy.sh). */
const FRONTEND = process.env.STELLA_TEST_HAPROXY ?? "127.0.0.1:8480";

/** canary.yaml with seconds for minutes (and a 20 s scale-down delay); everything else as written. */
function exampleCanary(): Canary {
  const canary = structuredClone(loadExample("canary.yaml")[0]) as unknown as Canary;
  canary.spec.steps = canary.spec.steps.map((s) => (s.pause?.duration ? { pause: { duration: "5s" } } : s));
  canary.spec.scaleDownDelay = "20s";
  for (const m of canary.spec.analysis!.metrics) {
    m.interval = "5s";
    m.provider.prometheus!.query = m.provider.prometheus!.query.replaceAll("[1m]", "[15s]");
  }
  return canary;
}

async function promQuery(query: string): Promise<number[]> {
  const url = `${PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent(query)}`;
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(5000) })).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return body.data.result.map((r) => Number(r.value[1]));
}

describe(
  "canary.yaml on the examples' prod: an SSH host and an agent host behind the estate's HAProxy",
  { skip },
  () => {
    let de: DeployEnv;
    let kubeconfig: string;
    let agent: AgentProcess | undefined;
    let load: ReturnType<typeof startLoad> | undefined;
    const cleanups: (() => Promise<void>)[] = [];
    const ok = async (args: string[], input?: string) => {
      const r = await stella(args, { kubeconfig, input });
      assert.equal(r.code, 0, `stella ${args.join(" ")}: ${r.stderr}`);
      return r.stdout;
    };

    before(async () => {
      await removeContainers(NS);
      de = await startDeployEnv();
      kubeconfig = de.env.server.kubeconfigPath;
    });
    // The controllers stop before the estate's HAProxy is pointed back, so nothing moves it after;
    // every cleanup runs even when one fails.
    after(async () => {
      await load?.stop();
      agent?.child.kill("SIGTERM");
      await agent?.exited;
      await de?.stop();
      const failed: unknown[] = [];
      for (const c of cleanups.reverse()) await c().catch((err: unknown) => failed.push(err));
      await removeContainers(NS);
      if (failed.length) throw failed[0];
    });

    it("walks the steps on both hosts, passes the analysis, waits for promote, and ends on shop-1-4-0", async () => {
      await ok(["create", "namespace", NS]);
      await ok(["apply", "-f", join(EXAMPLES_DIR, "estate.yaml")]);
      await ok(["apply", "-f", join(EXAMPLES_DIR, "release.yaml")]);
      await ok(["apply", "-f", join(EXAMPLES_DIR, "agent.yaml")]);
      const token = (await ok(["agent", "bootstrap", "prod-web-2-agent", "-n", NS])).trim();
      const { server } = await loadClientConfig({ path: kubeconfig });
      agent = await spawnAgent(server, "prod-web-2-agent", { token });
      await ok(["apply", "-f", join(ESTATE_DIR, "secrets", "deploy-ssh-key.yaml")]);
      for (const t of ["prod-nomad", "prod-ecs"])
        await de.targets.patch(t, { spec: { unschedulable: true } }, { type: "merge", namespace: NS });
      await de.targets.patch("prod-web-1", { spec: { unitAddress: "127.0.0.1" } }, { type: "merge", namespace: NS });
      await de.environments.patch("prod", { spec: { freezeWindows: [] } }, { type: "merge", namespace: NS });
      for (const t of ["prod-web-1", "prod-web-2"])
        await ok(["wait", "--for=condition=Ready", `target/${t}`, "-n", NS, "--timeout=3m"]);

      // What prod runs before the canary: shop-1-5-0, release.yaml with web at 1.5.0.
      const previous = (await readFile(join(EXAMPLES_DIR, "release.yaml"), "utf8"))
        .replace("name: shop-1-4-0", "name: shop-1-5-0")
        .replace("version: 1.4.0", "version: 1.5.0")
        .replace("shop/web:1.4.0", "shop/web:1.5.0");
      await ok(["apply", "-f", "-"], previous);
      const deployment = [
        "apiVersion: release.stella.io/v1alpha1",
        "kind: Deployment",
        "metadata: {name: shop-1-5-0-prod, namespace: shop}",
        "spec: {release: shop-1-5-0, environment: prod}",
        "",
      ].join("\n");
      await ok(["apply", "-f", "-"], deployment);
      assert.equal((await stella(["rollout", "status", "shop-1-5-0-prod", "-n", NS, "-w"], { kubeconfig })).code, 0);

      // The estate's HAProxy is the machine's: hold it, and point it back where it was at the end.
      cleanups.push(await holdEstateHaproxy());
      const canary = exampleCanary();
      const { runtimeApi, backend } = canary.spec.router.haproxy!;
      const before = await readSlots(parseRuntimeAddress(runtimeApi), backend);
      const at = (name: string) => before.filter((s) => s.name === name).map((s) => `${s.host}:${s.port}`);
      const first: RouteTarget = {
        namespace: NS,
        environment: "prod",
        component: "web",
        stable: at("stable"),
        canary: at("canary"),
      };
      cleanups.push(() => routerFor(canary).setWeight(first, 0));
      const load = startLoad(FRONTEND);
      cleanups.push(() => load.stop());
      const query = canary.spec.analysis!.metrics[0].provider.prometheus!.query;
      // Another suite's erroring canary may still be in the query's window: start once it is not.
      await waitFor(
        "no canary errors in the query's window",
        () => promQuery(query),
        (v) => v.every((x) => !(x > 0)),
        60_000,
      );

      await ok(["apply", "-f", "-"], JSON.stringify(canary));
      const canaries = de.admin.resource<Canary>(canaryKind);
      const paused = await waitFor(
        "canary.yaml to wait for promote at its indefinite pause (step 4)",
        () => canaries.get(canary.metadata.name!, { namespace: NS }),
        (c) => c.status?.currentStepIndex === 4 || ["Aborted", "Failed"].includes(c.status?.phase ?? ""),
        300_000,
      );
      assert.equal(paused.status?.phase, "Paused", paused.status?.message);
      assert.equal(paused.status?.currentWeight, 50);
      assert.equal(paused.status?.stableRelease, "shop-1-5-0");
      assert.equal(paused.status?.analysisRuns?.[0]?.phase, "Successful", JSON.stringify(paused.status?.analysisRuns));

      // A canary unit beside the stable one on each host, and HAProxy's slots on both hosts' units.
      const units = await containers(NS, { environment: "prod" });
      const web = (release: string) =>
        units.filter((u) => u.labels["stella.io/component"] === "web" && u.labels["stella.io/release"] === release);
      for (const release of ["shop-1-5-0", "shop-1-4-0"])
        assert.deepEqual(
          web(release)
            .map((u) => u.labels["stella.io/target"])
            .sort(),
          ["prod-web-1", "prod-web-2"],
          `${release}'s web runs on both hosts`,
        );
      const slots = await readSlots(parseRuntimeAddress(runtimeApi), backend);
      const serving = (side: string) =>
        slots
          .filter((s) => s.name.startsWith(side) && s.ready)
          .map((s) => `${s.host}:${s.port}`)
          .sort();
      const addresses = (release: string) =>
        web(release)
          .map((u) => `127.0.0.1:${hostPort(u)}`)
          .sort();
      assert.deepEqual(serving("stable"), addresses("shop-1-5-0"));
      assert.deepEqual(serving("canary"), addresses("shop-1-4-0"));
      const split = await sendVersions(FRONTEND, 200);
      assert.ok(
        (split["1.4.0"] ?? 0) > 0 && (split["1.5.0"] ?? 0) > 0,
        `both releases answer: ${JSON.stringify(split)}`,
      );

      assert.match(
        await ok(["canary", "promote", canary.metadata.name!, "-n", NS]),
        /released from the pause at step 4/,
      );
      const done = await waitFor(
        "canary.yaml to succeed",
        () => canaries.get(canary.metadata.name!, { namespace: NS }),
        (c) => ["Succeeded", "Aborted", "Failed"].includes(c.status?.phase ?? ""),
        180_000,
      );
      assert.equal(done.status?.phase, "Succeeded", done.status?.message);
      const after = await sendVersions(FRONTEND, 50);
      assert.deepEqual(after, { "1.4.0": 50 }, "every request reaches shop-1-4-0");
      // The environment says so: its current release is the canary's, landed by the canary.
      const prod = await waitFor(
        "prod to show shop-1-4-0",
        () => de.environments.get("prod", { namespace: NS }),
        (e) => e.status?.current?.release === "shop-1-4-0",
      );
      assert.equal(prod.status?.current?.canary, canary.metadata.name);
      assert.equal(prod.status?.previous?.release, "shop-1-5-0");
      // shop-1-5-0's old units stay until the scale-down (20 s): the next canary starts before it.
      assert.equal(done.status?.scaledDownAt, undefined);
    });

    it("the same canary through the estate's nginx takes prod back to shop-1-5-0", async () => {
      // The estate's nginx (hack/estate/nginx.sh) before the same web ports; its file is put back after.
      const settings = parse(
        await readFile(join(ESTATE_DIR, "routers", "nginx.yaml"), "utf8"),
      ) as Canary["spec"]["router"];
      const { configFile, pidFile, listen } = settings.nginx!;
      const original = await readFile(configFile, "utf8");
      cleanups.push(async () => {
        await writeFile(configFile, original);
        process.kill(Number((await readFile(pidFile, "utf8")).trim()), "SIGHUP");
      });
      const target = { namespace: NS, environment: "prod", component: "web", stable: [], canary: [] };
      const nginx = nginxRouterPlugin.connect(settings.nginx!);
      const stable = (await containers(NS, { environment: "prod", release: "shop-1-4-0" }))
        .filter((u) => u.labels["stella.io/component"] === "web")
        .map((u) => `127.0.0.1:${hostPort(u)}`);
      // What an operator does first: nginx serves the router's file, all on stable.
      await nginx.setWeight({ ...target, stable, canary: stable }, 0);
      assert.deepEqual(await sendVersions(listen, 20), { "1.4.0": 20 });

      // canary.yaml's steps, router plugin nginx, and its analysis over the same error rate as nginx
      // counts it (the router's access log through the estate's mtail) instead of HAProxy's counters.
      const canary = exampleCanary();
      canary.metadata.name = "shop-web-1-5-0";
      canary.spec.release = "shop-1-5-0";
      canary.spec.router = settings;
      const query = nginxErrorRate("stella_shop_prod_web", "15s");
      for (const m of canary.spec.analysis!.metrics) m.provider.prometheus!.query = query;
      const load = startLoad(listen);
      cleanups.push(() => load.stop());
      await ok(["apply", "-f", "-"], JSON.stringify(canary));
      const canaries = de.admin.resource<Canary>(canaryKind);
      const paused = await waitFor(
        "the nginx canary to wait for promote at its indefinite pause (step 4)",
        () => canaries.get("shop-web-1-5-0", { namespace: NS }),
        (c) => c.status?.currentStepIndex === 4 || ["Aborted", "Failed"].includes(c.status?.phase ?? ""),
        300_000,
      );
      assert.equal(paused.status?.phase, "Paused", paused.status?.message);
      const run = paused.status?.analysisRuns?.[0];
      assert.equal(run?.phase, "Successful", JSON.stringify(paused.status?.analysisRuns));
      assert.ok(
        run?.metrics?.[0].measurements?.every((m) => m.phase === "Successful" && Number(m.value) === 0),
        `every measurement an error rate of 0 as nginx counted it: ${JSON.stringify(run?.metrics)}`,
      );
      assert.equal(paused.status?.stableRelease, "shop-1-4-0", "the stable release is what the first canary landed");
      assert.equal((await nginx.observe(target)).canaryWeight, 50, "nginx serves the step's weight");
      // The first canary's scale-down of shop-1-5-0 comes while this one runs shop-1-5-0 again: it
      // spares this canary's own units (the old ones in the free slot went when this one started).
      await waitFor(
        "the first canary's scale-down",
        () => canaries.get("shop-web-1-4-0", { namespace: NS }),
        (c) => !!c.status?.scaledDownAt,
      );
      const mine = await containers(NS, { environment: "prod", release: "shop-1-5-0" });
      assert.deepEqual(
        mine
          .filter((u) => u.labels["stella.io/component"] === "web")
          .map((u) => `${u.labels["stella.io/target"]}/${u.labels["stella.io/deployment"]}`)
          .sort(),
        ["prod-web-1/shop-web-1-5-0", "prod-web-2/shop-web-1-5-0"],
        "only this canary's own web units of shop-1-5-0 run, on both hosts",
      );
      const split = await sendVersions(listen, 100);
      assert.ok(
        (split["1.4.0"] ?? 0) > 0 && (split["1.5.0"] ?? 0) > 0,
        `both releases answer: ${JSON.stringify(split)}`,
      );

      await ok(["canary", "promote", "shop-web-1-5-0", "-n", NS]);
      const done = await waitFor(
        "the nginx canary to succeed",
        () => canaries.get("shop-web-1-5-0", { namespace: NS }),
        (c) => ["Succeeded", "Aborted", "Failed"].includes(c.status?.phase ?? ""),
        180_000,
      );
      assert.equal(done.status?.phase, "Succeeded", done.status?.message);
      assert.deepEqual(await sendVersions(listen, 30), { "1.5.0": 30 });
      await waitFor(
        "prod to show shop-1-5-0 again",
        () => de.environments.get("prod", { namespace: NS }),
        (e) => e.status?.current?.release === "shop-1-5-0" && e.status.current.canary === "shop-web-1-5-0",
      );
    });
  },
);
