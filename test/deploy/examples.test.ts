// The operator's path through ../shared/examples, for real, with the `stella` CLI: the estate
// (dev on Docker, staging on Compose, and targets of drivers this build does not have yet), the
// release, and the deployment to dev; then the same release to staging on Compose. `stella get
// deployments -w` shows the rollout as it goes, and `stella deployment artifacts` prints what it
// generated.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { stella, startStella, type StellaProcess } from "../cli/run-stella.ts";
import { ESTATE_DIR, estateSkipReason } from "../estate/estate-env.ts";
import { EXAMPLES_DIR } from "../fixtures.ts";
import { containers, hostPort, page, removeContainers, startDeployEnv, waitFor, type DeployEnv } from "./deploy-env.ts";

const skip = await estateSkipReason();
const NS = "shop";

describe("the examples on the local estate", { skip }, () => {
  let de: DeployEnv;
  let kubeconfig: string;
  let watch: StellaProcess | undefined;
  const run = async (...args: string[]) => {
    const r = await stella(args, { kubeconfig });
    assert.equal(r.code, 0, `stella ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  before(async () => {
    await removeContainers(NS);
    de = await startDeployEnv();
    kubeconfig = de.env.server.kubeconfigPath;
  });
  after(async () => {
    await watch?.stop();
    await de?.stop();
    await removeContainers(NS);
  });

  it("estate.yaml + release.yaml + deploy.yaml: the release runs on dev, followed with get -w", async () => {
    await run("create", "namespace", NS);
    await run("apply", "-f", join(EXAMPLES_DIR, "estate.yaml"));
    await run("apply", "-f", join(EXAMPLES_DIR, "release.yaml"));
    watch = startStella(["get", "deployments", "-n", NS, "-w"], { kubeconfig });
    await run("apply", "-f", join(EXAMPLES_DIR, "deploy.yaml"));
    const d = await waitFor(
      "shop-1-4-0-dev to finish",
      () => de.deployments.get("shop-1-4-0-dev", { namespace: NS }),
      (o) => ["Succeeded", "Failed", "RolledBack"].includes(o.status?.phase ?? ""),
      120_000,
    );
    assert.equal(d.status?.phase, "Succeeded", d.status?.message);
    await watch.waitFor((l) => /shop-1-4-0-dev\s+shop-1-4-0\s+dev\s+Rolling\s+Succeeded\s+1\/1/.test(l));
    assert.ok(
      watch.stdout.some((l) => /shop-1-4-0-dev .*(Pending|Progressing)/.test(l)),
      `the watch showed the rollout in progress:\n${watch.stdout.join("\n")}`,
    );
    const web = (await containers(NS, { environment: "dev" })).find((c) => c.labels["stella.io/component"] === "web")!;
    assert.equal(await page(hostPort(web)), "1.4.0");

    // Readiness is a probe every second; wait for it rather than read one snapshot (a loaded machine may time a probe
    // out).
    type Ready = { type: string; status: string; reason: string; message?: string } | undefined;
    const readiness = async (): Promise<Record<string, Ready>> =>
      Object.fromEntries(
        (
          JSON.parse(await run("get", "targets", "-n", NS, "-o", "json")) as {
            items: { metadata: { name: string }; status?: { conditions?: NonNullable<Ready>[] } }[];
          }
        ).items.map((t) => [t.metadata.name, t.status?.conditions?.find((c) => c.type === "Ready")]),
      );
    const ready = await waitFor(
      "dev-docker and staging-compose Ready",
      readiness,
      (r) =>
        r["dev-docker"]?.status === "True" && r["staging-compose"]?.status === "True" && r["prod-web-1"] !== undefined,
    );
    assert.equal(
      ready["prod-web-1"]?.reason,
      "SecretNotFound",
      `prod-web-1 (ssh) says its deploy key is missing: ${ready["prod-web-1"]?.message}`,
    );
    // The estate writes the deploy key its SSH hosts authorize; with it, prod-web-1 is a real host.
    await run("apply", "-f", join(ESTATE_DIR, "secrets", "deploy-ssh-key.yaml"));
    await waitFor("prod-web-1 Ready over SSH", readiness, (r) => r["prod-web-1"]?.status === "True");

    const artifacts = await run("deployment", "artifacts", "shop-1-4-0-dev", "-n", NS);
    assert.match(artifacts, /^# container-spec dev-docker\/web sha256:[a-f0-9]{64}$/m);
    assert.match(artifacts, /"stella\.io\/release": ?"shop-1-4-0"/);
    const env = await waitFor(
      "dev to show shop-1-4-0",
      () => run("get", "environment", "dev", "-n", NS, "-o", "jsonpath={.status.current.release}"),
      (v) => v === "shop-1-4-0",
    );
    assert.equal(env, "shop-1-4-0");
  });

  it("the same release to staging on Compose, Rolling, as the estate's staging environment says", async () => {
    const manifest = [
      "apiVersion: release.stella.io/v1alpha1",
      "kind: Deployment",
      "metadata:",
      "  name: shop-1-4-0-staging",
      `  namespace: ${NS}`,
      "spec:",
      "  release: shop-1-4-0",
      "  environment: staging",
      "",
    ].join("\n");
    const r = await stella(["apply", "-f", "-"], { kubeconfig, input: manifest });
    assert.equal(r.code, 0, r.stderr);
    const status = await stella(["rollout", "status", "shop-1-4-0-staging", "-n", NS, "-w"], { kubeconfig });
    assert.equal(status.code, 0, status.stdout + status.stderr);
    const d = await de.deployments.get("shop-1-4-0-staging", { namespace: NS });
    assert.equal(d.status?.strategy?.type, "Rolling");
    const running = await containers(NS, { environment: "staging" });
    assert.deepEqual(running.map((c) => c.labels["stella.io/component"]).sort(), ["web", "worker"]);
    assert.ok(running.every((c) => c.labels["com.docker.compose.project"] === "shop-staging"));
    const artifacts = await run("deployment", "artifacts", "shop-1-4-0-staging", "-n", NS);
    assert.match(artifacts, /services:/);
    assert.match(artifacts, /@sha256:[a-f0-9]{64}/);
  });
});
