// What an agent's credential reaches, request by request: its own Agent, Lease, Targets, work and
// the Secrets that work references, and the status of those; everything else is a 403 Status that
// carries no data (reads, writes, lists, watches, other agents' work, other namespaces). The
// credentials come from the real enrollment endpoint, each agent with its own key.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { bootstrapJwt } from "../../apiserver/auth/agent-tokens.ts";
import { startEnv, type TestEnv } from "../env.ts";

const G = "/apis/release.stella.io/v1alpha1";
const NS = "scope-a";
const OTHER_NS = "scope-b";
const SECRET_VALUE = "do-not-leak-4711";

describe("agent credential scope", () => {
  let env: TestEnv;
  let tokenA = "";
  const as = (method: string, path: string, body?: unknown, contentType?: string) =>
    env.request(method, path, body, {
      authorization: `Bearer ${tokenA}`,
      ...(contentType ? { "content-type": contentType } : {}),
    });
  const merge = "application/merge-patch+json";

  async function enrolled(name: string): Promise<string> {
    await env.request("POST", `${G}/namespaces/${NS}/agents`, {
      apiVersion: `release.stella.io/v1alpha1`,
      kind: "Agent",
      metadata: { name },
      spec: {},
    });
    const boot = await env.request("POST", `/agent-enrollment/v1/namespaces/${NS}/agents/${name}/bootstrap`, {});
    assert.equal(boot.status, 200, boot.text);
    const publicKey = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const res = await env.request(
      "POST",
      `/agent-enrollment/v1/namespaces/${NS}/agents/${name}/enroll`,
      { publicKey },
      {
        authorization: `Bearer ${boot.body.token}`,
      },
    );
    assert.equal(res.status, 200, res.text);
    return res.body.token;
  }

  const create = (plural: string, obj: Record<string, unknown>, ns = NS) =>
    env.request("POST", `${G}/namespaces/${ns}/${plural}`, { apiVersion: "release.stella.io/v1alpha1", ...obj });
  const work = (name: string, agent: string, secret: string) => ({
    kind: "AgentWork",
    metadata: { name },
    spec: {
      agent,
      target: `host-${agent}`,
      operation: "Run",
      scope: { namespace: "app", environment: "prod", slot: "blue" },
      units: [
        {
          release: "r1",
          deployment: "d1",
          component: "web",
          imageRef: `127.0.0.1:5000/shop/web@sha256:${"a".repeat(64)}`,
          env: [{ name: "TOKEN", secretKeyRef: { name: secret, key: "token" } }],
          ports: [],
        },
      ],
    },
  });

  before(async () => {
    env = await startEnv();
    for (const ns of [NS, OTHER_NS])
      await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    tokenA = await enrolled("web-a");
    await enrolled("web-b");
    for (const agent of ["web-a", "web-b"])
      await create("targets", {
        kind: "Target",
        metadata: { name: `host-${agent}` },
        spec: { driver: "agent", agent: { name: agent } },
      });
    await create("targets", {
      kind: "Target",
      metadata: { name: "dev-docker" },
      spec: { driver: "docker", docker: {} },
    });
    for (const s of ["secret-a", "secret-b", "unreferenced"])
      await create("secrets", { kind: "Secret", metadata: { name: s }, stringData: { token: SECRET_VALUE } });
    assert.equal((await create("agentworks", work("work-a", "web-a", "secret-a"))).status, 201);
    assert.equal((await create("agentworks", work("work-b", "web-b", "secret-b"))).status, 201);
    await create("agents", { kind: "Agent", metadata: { name: "web-a" }, spec: {} }, OTHER_NS);
  });
  after(() => env?.stop());

  const allowed: [string, string, unknown?, string?][] = [
    ["GET", `${G}/namespaces/${NS}/agents/web-a`],
    ["GET", `${G}/namespaces/${NS}/agents?fieldSelector=metadata.name=web-a`],
    ["PATCH", `${G}/namespaces/${NS}/agents/web-a/status`, { status: { version: "0.1.0" } }, merge],
    ["GET", `${G}/namespaces/${NS}/targets/host-web-a`],
    ["GET", `${G}/namespaces/${NS}/targets?fieldSelector=spec.agent.name=web-a`],
    ["PATCH", `${G}/namespaces/${NS}/targets/host-web-a/status`, { status: { agent: "web-a" } }, merge],
    ["GET", `${G}/namespaces/${NS}/agentworks/work-a`],
    ["GET", `${G}/namespaces/${NS}/agentworks?fieldSelector=spec.agent=web-a`],
    ["PATCH", `${G}/namespaces/${NS}/agentworks/work-a/status`, { status: { phase: "Applied" } }, merge],
    ["GET", `${G}/namespaces/${NS}/secrets/secret-a`],
    [
      "POST",
      `${G}/namespaces/${NS}/leases`,
      { apiVersion: "release.stella.io/v1alpha1", kind: "Lease", metadata: { name: "agent-web-a" }, spec: {} },
    ],
    ["PATCH", `${G}/namespaces/${NS}/leases/agent-web-a`, { spec: { renewTime: new Date().toISOString() } }, merge],
  ];
  const denied: [string, string, unknown?, string?][] = [
    // another agent, its work, its targets, its lease, its secrets
    ["GET", `${G}/namespaces/${NS}/agents/web-b`],
    ["GET", `${G}/namespaces/${NS}/agentworks/work-b`],
    ["GET", `${G}/namespaces/${NS}/agentworks?fieldSelector=spec.agent=web-b`],
    ["GET", `${G}/namespaces/${NS}/agentworks?watch=true&fieldSelector=spec.agent=web-b`],
    ["PATCH", `${G}/namespaces/${NS}/agentworks/work-b/status`, { status: { phase: "Failed" } }, merge],
    ["GET", `${G}/namespaces/${NS}/targets/host-web-b`],
    ["GET", `${G}/namespaces/${NS}/targets/dev-docker`],
    ["PATCH", `${G}/namespaces/${NS}/targets/host-web-b/status`, { status: { agent: "web-a" } }, merge],
    ["PATCH", `${G}/namespaces/${NS}/leases/agent-web-b`, { spec: {} }, merge],
    ["GET", `${G}/namespaces/${NS}/secrets/secret-b`],
    ["GET", `${G}/namespaces/${NS}/secrets/unreferenced`],
    // unpinned lists and watches
    ["GET", `${G}/namespaces/${NS}/agents`],
    ["GET", `${G}/namespaces/${NS}/targets`],
    ["GET", `${G}/namespaces/${NS}/agentworks`],
    ["GET", `${G}/namespaces/${NS}/agentworks?watch=true`],
    ["GET", `${G}/namespaces/${NS}/secrets`],
    ["GET", `${G}/agentworks?fieldSelector=spec.agent=web-a`],
    // writes beyond status: its own spec (it cannot un-revoke itself), work, targets
    ["PATCH", `${G}/namespaces/${NS}/agents/web-a`, { spec: { revoked: false } }, merge],
    ["DELETE", `${G}/namespaces/${NS}/agents/web-a`],
    ["PATCH", `${G}/namespaces/${NS}/targets/host-web-a`, { spec: { driver: "docker" } }, merge],
    [
      "POST",
      `${G}/namespaces/${NS}/agentworks`,
      { apiVersion: "release.stella.io/v1alpha1", ...work("mine", "web-a", "unreferenced") },
    ],
    ["PATCH", `${G}/namespaces/${NS}/agentworks/work-a`, { spec: { agent: "web-b" } }, merge],
    ["DELETE", `${G}/namespaces/${NS}/agentworks/work-a`],
    [
      "POST",
      `${G}/namespaces/${NS}/secrets`,
      { apiVersion: "release.stella.io/v1alpha1", kind: "Secret", metadata: { name: "x" } },
    ],
    // everything else, and another namespace
    ["GET", `${G}/namespaces/${NS}/releases`],
    ["GET", `${G}/namespaces/${NS}/deployments`],
    ["GET", `${G}/namespaces/${NS}/environments`],
    ["GET", `${G}/namespaces/${NS}/rolebindings`],
    ["GET", "/api/v1/namespaces"],
    ["GET", `${G}/namespaces/${OTHER_NS}/agents/web-a`],
    ["GET", "/metrics"],
  ];

  it("allows its own objects and their status", async () => {
    for (const [method, path, body, type] of allowed) {
      const res = await as(method, path, body, type);
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    }
  });

  it("a list pinned to itself returns only its own objects", async () => {
    const works = await as("GET", `${G}/namespaces/${NS}/agentworks?fieldSelector=spec.agent=web-a`);
    assert.deepEqual(
      works.body.items.map((w: { metadata: { name: string } }) => w.metadata.name),
      ["work-a"],
    );
    const targets = await as("GET", `${G}/namespaces/${NS}/targets?fieldSelector=spec.agent.name=web-a`);
    assert.deepEqual(
      targets.body.items.map((t: { metadata: { name: string } }) => t.metadata.name),
      ["host-web-a"],
    );
  });

  it("refuses everything else with a 403 Status that carries no data", async () => {
    for (const [method, path, body, type] of denied) {
      const res = await as(method, path, body, type);
      assert.equal(res.status, 403, `${method} ${path}: ${res.status} ${res.text}`);
      assert.equal(res.body?.kind, "Status", `${method} ${path}`);
      assert.ok(!res.text.includes(SECRET_VALUE) && !res.text.includes("spec"), `${method} ${path} leaks: ${res.text}`);
      assert.match(res.body.message, /agent "web-a" may reach only/);
    }
  });

  it("the denied writes changed nothing", async () => {
    const agent = await env.request("GET", `${G}/namespaces/${NS}/agents/web-a`);
    assert.equal(agent.body.spec.revoked, undefined);
    const workA = await env.request("GET", `${G}/namespaces/${NS}/agentworks/work-a`);
    assert.equal(workA.body.spec.agent, "web-a");
    const workB = await env.request("GET", `${G}/namespaces/${NS}/agentworks/work-b`);
    assert.equal(workB.body.status, undefined);
  });

  it("a bootstrap token of one agent cannot enroll another", async () => {
    const boot = await env.request("POST", `/agent-enrollment/v1/namespaces/${NS}/agents/web-b/bootstrap`, {});
    const publicKey = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const res = await env.request(
      "POST",
      `/agent-enrollment/v1/namespaces/${NS}/agents/web-a/enroll`,
      { publicKey },
      {
        authorization: `Bearer ${boot.body.token}`,
      },
    );
    assert.equal(res.status, 403, res.text);
    assert.ok(bootstrapJwt(boot.body.token).length > 0);
  });

  it("enrollment names the bad field: a public key that is not Ed25519 PEM", async () => {
    await env.request("POST", `${G}/namespaces/${NS}/agents`, {
      apiVersion: `release.stella.io/v1alpha1`,
      kind: "Agent",
      metadata: { name: "web-c" },
      spec: {},
    });
    const boot = await env.request("POST", `/agent-enrollment/v1/namespaces/${NS}/agents/web-c/bootstrap`, {});
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .publicKey.export({ type: "spki", format: "pem" })
      .toString();
    for (const publicKey of ["not a key", rsa]) {
      const res = await env.request(
        "POST",
        `/agent-enrollment/v1/namespaces/${NS}/agents/web-c/enroll`,
        { publicKey },
        {
          authorization: `Bearer ${boot.body.token}`,
        },
      );
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.details.causes[0].field, "publicKey");
    }
  });
});
