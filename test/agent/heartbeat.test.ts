// Heartbeats with a real agent process and the controllers in this process: a stopped agent
// (SIGSTOP: it misses its heartbeats) turns its Agent and its Target NotReady with a reason and
// back when it resumes; an agent SIGKILLed while applying work and started again (from its data
// directory, no token) finishes the work without a second container; a restarted apiserver is
// found again by the agent on its own.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { ApiServer } from "../../apiserver/server.ts";
import { silentLogger } from "../../apiserver/logging/logger.ts";
import { agentDriver } from "../../controllers/drivers/agent/index.ts";
import { agentKind, agentLeaseName, type Agent } from "../../crds/agent.ts";
import { agentWorkKind, type AgentWork } from "../../crds/agent-work.ts";
import { leaseKind, type Lease } from "../../crds/lease.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { Client } from "../../sdk/client.ts";
import { isDriverError, type UnitSet } from "../../sdk/plugins/driver.ts";
import { pinnedImage } from "../../sdk/testing/driver-conformance.ts";
import { containers } from "../deploy/deploy-env.ts";
import { estateSkipReason, REGISTRY } from "../estate/estate-env.ts";
import { logged, startAgentEnv, until, type AgentEnv, type AgentProcess } from "./agent-env.ts";
import { stella } from "../cli/run-stella.ts";

const skip = await estateSkipReason();

describe("agent heartbeats, crashes and reconnects", { skip }, () => {
  let world: AgentEnv;
  let proc: AgentProcess;
  const readyOf = async (): Promise<{ status?: string; reason?: string; message?: string } | undefined> =>
    (await world.admin.resource<Agent>(agentKind).get("hb-agent")).status?.conditions?.find((c) => c.type === "Ready");
  const targetReady = async () =>
    (await world.admin.resource<Target>(targetKind).get("hb-host")).status?.conditions?.find((c) => c.type === "Ready");

  before(async () => {
    world = await startAgentEnv({ controllers: true });
    await world.createAgent("hb-agent", { heartbeatInterval: "1s" });
    await world.admin.resource<Target>(targetKind).create({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Target",
      metadata: { name: "hb-host", namespace: world.namespace },
      spec: { driver: "agent", agent: { name: "hb-agent" } },
    } as Target);
    proc = await world.startAgent("hb-agent", { token: await world.bootstrap("hb-agent") });
    await until(
      async () => (await readyOf())?.status === "True" && (await targetReady())?.status === "True",
      "ready",
      proc,
    );
  });
  after(() => world?.stop());

  it("stella get agents and describe agent show readiness, version, heartbeat, targets and capabilities", async () => {
    const cli = (...args: string[]) =>
      stella([...args, "-n", world.namespace], { kubeconfig: world.env.server.kubeconfigPath });
    const got = await cli("get", "agents");
    assert.equal(got.code, 0, got.stderr);
    const [header, row] = got.stdout.trimEnd().split("\n");
    assert.match(header, /^NAME\s+READY\s+VERSION\s+LAST HEARTBEAT\s+TARGETS\s+AGE$/);
    assert.match(row, /^hb-agent\s+True\s+0\.1\.0\s+\d+s\s+hb-host\s+\d+s$/);
    const described = await cli("describe", "agent", "hb-agent");
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /Ready\s+True\s+Heartbeating/);
    assert.match(described.stdout, /Capabilities:.*docker/);
    assert.match(described.stdout, /BEGIN PUBLIC KEY/);
    // Where its host's units answer for routers: the local address of its connection to the server.
    const wide = await cli("get", "agents", "-o", "wide");
    assert.match(wide.stdout, /ADDRESS/);
    assert.match(wide.stdout.split("\n")[1], /\s127\.0\.0\.1\s/);
  });

  it("three missed heartbeats make the agent and its target NotReady with a reason; resuming heals both", async () => {
    const agent = await world.admin.resource<Agent>(agentKind).get("hb-agent");
    assert.deepEqual(agent.status?.targets, ["hb-host"]);
    assert.ok(agent.status?.lastHeartbeatTime);
    proc.child.kill("SIGSTOP");
    try {
      const ready = await until(
        async () => ((await readyOf())?.status === "False" ? readyOf() : undefined),
        "NotReady",
      );
      assert.equal(ready?.reason, "HeartbeatMissed");
      assert.match(ready?.message ?? "", /heartbeats missed; the limit is 3/);
      const target = await until(
        async () => ((await targetReady())?.status === "False" ? targetReady() : undefined),
        "target NotReady",
      );
      assert.equal(target?.reason, "Unreachable");
      assert.match(target?.message ?? "", /agent hb-agent is not ready \(HeartbeatMissed/);
    } finally {
      proc.child.kill("SIGCONT");
    }
    await until(
      async () => (await readyOf())?.status === "True" && (await targetReady())?.status === "True",
      "ready again",
      proc,
    );
  });

  it("an agent SIGKILLed while applying work, started again from its data directory, finishes it without a second container", async () => {
    const unitNs = `hbk-${randomBytes(3).toString("hex")}`;
    const controller = Client.fromConfig({
      ...world.config,
      token: await world.env.token("hb-controllers", "controller", "*"),
    });
    const driver = await agentDriver(controller).create(await world.admin.resource<Target>(targetKind).get("hb-host"), {
      secretValue: async () => "",
    });
    const set: UnitSet = {
      namespace: unitNs,
      environment: "prod",
      release: "r1",
      deployment: "d1",
      target: "hb-host",
      slot: "blue",
      units: [
        {
          component: "worker",
          imageRef: await pinnedImage(`${REGISTRY}/shop/worker:1.4.0`),
          env: [],
          ports: [{ name: "metrics", containerPort: 9090, hostPort: 27590 }],
        },
      ],
    };
    const ctx = { secretValue: async () => "", pullCredential: async () => undefined };
    // As the deployment controller does: a transient failure (the agent gone NotReady while it
    // restarts) is tried again.
    const applyUntilDone = async () => {
      for (;;) {
        try {
          return await driver.apply(set, ctx);
        } catch (err) {
          if (!isDriverError(err) || !err.transient) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    const applying = applyUntilDone();
    applying.catch(() => undefined);
    const works = world.admin.resource<AgentWork>(agentWorkKind);
    // Kill it once it has the work in hand: the container may or may not exist yet.
    await until(
      async () => (await works.list({ fieldSelector: "spec.target=hb-host" })).items.length > 0,
      "work handed over",
    );
    proc.child.kill("SIGKILL");
    await proc.exited;
    proc = await world.startAgent("hb-agent", { dataDir: proc.dataDir });
    const [unit] = await applying;
    assert.equal(unit.running, true);
    assert.equal(unit.host, "127.0.0.1", "the agent says where its host's units answer");
    const rows = await containers(unitNs);
    assert.equal(rows.length, 1, `one container, not ${rows.length}`);
    assert.equal(rows[0].id.slice(0, 12), unit.id.slice(0, 12));
    await driver.remove([unit]);
    assert.deepEqual(await containers(unitNs), []);
    controller.close();
  });

  it("a restarted apiserver is found again by the agent on its own", async () => {
    const port = Number(new URL(world.config.server).port);
    const leases = () => world.admin.resource<Lease>(leaseKind);
    await world.env.server.stop();
    const restarted = await ApiServer.start({ dataDir: world.env.dataDir, port, listen: true, logger: silentLogger });
    world.env.server = restarted;
    const since = new Date().toISOString();
    const renewed = await until(async () => {
      const lease = await leases()
        .get(agentLeaseName("hb-agent"))
        .catch(() => undefined);
      return lease?.spec.renewTime && lease.spec.renewTime > since ? lease : undefined;
    }, "a heartbeat to the restarted server");
    assert.equal(renewed.spec.holderIdentity, "hb-agent");
    assert.ok(!logged(proc, "credential refused: the agent was revoked or deleted"));
  });
});
