// The world of the agent driver's conformance runs (conformance.test.ts, conformance-compose.test.ts):
// the driver runs in this process with the controllers' client; the agent (`stella agent`, spawned)
// applies the work with its local docker driver, or its compose driver for a runtime compose target.
// The agent reads Secrets from the API itself, so the fixture mirrors the suite's one Secret (its
// ApplyContext stands for the API's Secrets) into the target's namespace before each apply.
import { randomBytes } from "node:crypto";
import { agentDriver } from "../../controllers/drivers/agent/index.ts";
import { agentKind, type Agent } from "../../crds/agent.ts";
import { isAlreadyExists } from "../../crds/errors.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { Client } from "../../sdk/client.ts";
import type { ApplyContext, Driver, UnitSet } from "../../sdk/plugins/driver.ts";
import type { ConformanceFixture } from "../../sdk/testing/driver-conformance.ts";
import { SECRET_REF } from "../../sdk/testing/driver-conformance-units.ts";
import { engineFixture } from "../drivers/engine-fixture.ts";
import { logged, startAgentEnv, until, type AgentEnv } from "./agent-env.ts";

const run = randomBytes(3).toString("hex");

/** Mirrors the suite's Secret into the API, where the agent reads it, then applies. */
function mirroringSecrets(driver: Driver, secrets: ReturnType<Client["resource"]>, namespace: string): Driver {
  const apply = async (set: UnitSet, ctx: ApplyContext) => {
    const value = await ctx.secretValue(SECRET_REF).catch(() => undefined);
    if (value !== undefined) {
      const secret = {
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Secret",
        metadata: { name: SECRET_REF.name, namespace },
        stringData: { [SECRET_REF.key]: value },
      } as unknown as Secret;
      await secrets.create(secret).catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
    }
    return driver.apply(set, ctx);
  };
  return Object.assign(Object.create(driver) as Driver, { apply });
}

/** An agent process, its Ready Agent and an agent Target; the driver bound to it, in a fixture. */
export async function agentFixture(opts: {
  runtime: "docker" | "compose";
  portBase: number;
  /** Checks the Agent once Ready (capabilities). */
  ready?: (agent: Agent) => void;
}): Promise<ConformanceFixture> {
  const w: AgentEnv = await startAgentEnv({ controllers: true });
  await w.createAgent("conf-agent");
  const target = "conf-host";
  const agentSpec = opts.runtime === "compose" ? { runtime: "compose" as const, project: `agc-${run}` } : {};
  await w.admin.resource<Target>(targetKind).create({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: target, namespace: w.namespace },
    spec: { driver: "agent", agent: { name: "conf-agent", ...agentSpec } },
  } as Target);
  const proc = await w.startAgent("conf-agent", { token: await w.bootstrap("conf-agent") });
  await until(() => logged(proc, "connected"), "agent connected", proc);
  const agent = await until(
    async () => {
      const a = await w.admin.resource<Agent>(agentKind).get("conf-agent");
      return a.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? a : undefined;
    },
    "agent Ready",
    proc,
  );
  opts.ready?.(agent);
  const controller = Client.fromConfig({
    ...w.config,
    token: await w.env.token("conf-controllers", "controller", "*"),
  });
  const tgt = await w.admin.resource<Target>(targetKind).get(target);
  const driver = await agentDriver(controller).create(tgt, { secretValue: async () => "" });
  const fx = await engineFixture({
    driver: mirroringSecrets(driver, w.admin.resource<Secret>(secretKind), w.namespace),
    target,
    namespace: `agc-${run}-${opts.runtime}`,
    environment: "dev",
    portBase: opts.portBase,
  });
  return {
    ...fx,
    async cleanup() {
      await fx.cleanup();
      controller.close();
      await w.stop();
    },
  };
}
