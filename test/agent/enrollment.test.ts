// Enrollment end to end with a real agent process: an operator's Agent, a bootstrap token, the
// agent's own key (mode 0600), one enrollment; then the faults: the token replayed, a credential
// expired, revoked, or outliving its deleted Agent.
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { agentKind, type Agent } from "../../crds/agent.ts";
import { isUnauthorized, type ApiError } from "../../crds/errors.ts";
import { detectComposeCli } from "../../controllers/drivers/compose/index.ts";
import { Transport } from "../../sdk/transport.ts";
import { logged, startAgentEnv, until, type AgentEnv, type AgentProcess } from "./agent-env.ts";

describe("agent enrollment", () => {
  let world: AgentEnv;
  let agent: AgentProcess;
  let token: string;
  before(async () => {
    world = await startAgentEnv();
    await world.createAgent("web-a");
    token = await world.bootstrap("web-a");
    agent = await world.startAgent("web-a", { token });
    await until(() => logged(agent, "connected"), "connected", agent);
  });
  after(() => world?.stop());

  const agents = () => world.admin.resource<Agent>(agentKind);

  it("keeps its key and credential in --data with mode 0600 and records its public key and host facts", async () => {
    for (const file of ["agent.key", "credential.json"])
      assert.equal((await stat(join(agent.dataDir, file))).mode & 0o777, 0o600, file);
    const stored = await agents().get("web-a");
    assert.match(stored.spec.publicKey ?? "", /BEGIN PUBLIC KEY/);
    assert.ok(stored.status?.enrolledAt);
    assert.equal(stored.status?.version, "0.1.0");
    // compose only where this host has a compose CLI (the estate installs docker-compose)
    const compose = await detectComposeCli(undefined, process.env).then(
      () => ["compose"],
      () => [],
    );
    assert.deepEqual(stored.status?.capabilities, [...compose, "docker"]);
    assert.ok(stored.status?.hostname && stored.status.os && stored.status.arch);
    const own = await (await world.agentClient(agent.dataDir)).resource<Agent>(agentKind).get("web-a");
    assert.equal(own.metadata.name, "web-a");
  });

  it("refuses the bootstrap token a second time with a 401 Status", async () => {
    const transport = new Transport({ server: world.config.server, caCertPem: world.config.caCertPem, token });
    const err = await transport
      .request({
        method: "POST",
        path: `/agent-enrollment/v1/namespaces/${world.namespace}/agents/web-a/enroll`,
        body: { publicKey: (await agents().get("web-a")).spec.publicKey },
      })
      .then(
        () => assert.fail("replay accepted"),
        (e: ApiError) => e,
      );
    assert.ok(isUnauthorized(err), String(err));
    assert.match(err.message, /already used/);
    assert.ok(!err.message.includes(token.slice(-20)), "the token is not echoed");
  });

  it("refuses a bootstrap token used as an API bearer token", async () => {
    const transport = new Transport({
      server: world.config.server,
      caCertPem: world.config.caCertPem,
      token: token.split(".").slice(2).join("."),
    });
    await assert.rejects(
      transport.request({
        method: "GET",
        path: `/apis/release.stella.io/v1alpha1/namespaces/${world.namespace}/agents/web-a`,
      }),
      isUnauthorized,
    );
  });

  it("refuses an expired agent credential with 401 naming the expiry", async () => {
    const stored = await agents().get("web-a");
    const { publicKeyThumbprint } = await import("../../apiserver/http/agent-registry.ts");
    const { issueAgentCredential } = await import("../../apiserver/auth/agent-tokens.ts");
    const short = await issueAgentCredential(
      world.env.server.issuer,
      {
        namespace: world.namespace,
        name: "web-a",
        uid: stored.metadata.uid!,
        key: publicKeyThumbprint(stored.spec.publicKey!),
      },
      2,
    );
    // JWT times are whole seconds: a 2 s credential has at least one second left when issued.
    const { exp } = JSON.parse(Buffer.from(short.split(".")[1], "base64url").toString()) as { exp: number };
    const transport = new Transport({ server: world.config.server, caCertPem: world.config.caCertPem, token: short });
    const path = `/apis/release.stella.io/v1alpha1/namespaces/${world.namespace}/agents/web-a`;
    await transport.request({ method: "GET", path });
    // Waits out the expiry itself (not a guess at it), then a little past the second it ends in.
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 1100));
    await assert.rejects(
      transport.request({ method: "GET", path }),
      (e: ApiError) => isUnauthorized(e) && /expired/.test(e.message),
    );
  });

  it("stella agent revoke stops the credential at once; the agent stops and says why", async () => {
    const client = await world.agentClient(agent.dataDir);
    await client.resource<Agent>(agentKind).get("web-a");
    const { revokeAgent } = await import("../../cli/agent/manage-agent.ts");
    const out = process.stdout.write;
    process.stdout.write = () => true;
    try {
      assert.equal(
        await revokeAgent(["web-a", "--kubeconfig", world.env.server.kubeconfigPath, "-n", world.namespace]),
        0,
      );
    } finally {
      process.stdout.write = out;
    }
    await until(
      () =>
        client
          .resource<Agent>(agentKind)
          .get("web-a")
          .then(
            () => false,
            (e: unknown) => isUnauthorized(e),
          ),
      "the revoked credential refused",
    );
    await assert.rejects(client.resource<Agent>(agentKind).get("web-a"), (e: ApiError) => /revoked/.test(e.message));
    client.close();
    assert.equal(await agent.exited, 1, "the agent exits 1 once its renewal is refused");
    assert.ok(logged(agent, "credential refused: the agent was revoked or deleted"));
  });

  it("a credential stops working when its Agent is deleted", async () => {
    await world.createAgent("web-b");
    const b = await world.startAgent("web-b", { token: await world.bootstrap("web-b") });
    await until(() => logged(b, "connected"), "web-b connected", b);
    const client = await world.agentClient(b.dataDir);
    await client.resource<Agent>(agentKind).get("web-b");
    await agents().delete("web-b");
    await until(
      () =>
        client
          .resource<Agent>(agentKind)
          .get("web-b")
          .then(
            () => false,
            (e: unknown) => isUnauthorized(e),
          ),
      "the credential of a deleted agent refused",
    );
    client.close();
  });
});
