// Attacks on the agent enrollment endpoints (/agent-enrollment/v1/...) and on agent credentials,
// through the in-process app: a bootstrap token works once whatever key it enrolls, only the newest
// one an operator asked for works at all, the public key must be a public Ed25519 key, renewal needs
// the agent's own key, hostile names are refused before anything reads them, and the audit log
// names the caller only once its token is verified.
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { RENEWAL_AUDIENCE } from "../../apiserver/auth/agent-tokens.ts";
import { startEnv, type TestEnv } from "../env.ts";

const G = "/apis/release.stella.io/v1alpha1";
const E = "/agent-enrollment/v1";
const NS = "default";

const ed25519 = () => generateKeyPairSync("ed25519");
const spki = (key: KeyObject) => key.export({ type: "spki", format: "pem" }).toString();

describe("agent enrollment under attack", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
  });
  after(() => env.stop());

  const agentPath = (name: string) => `${G}/namespaces/${NS}/agents/${name}`;
  async function newAgent(name: string): Promise<void> {
    const res = await env.request("POST", `${G}/namespaces/${NS}/agents`, {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Agent",
      metadata: { name },
      spec: {},
    });
    assert.equal(res.status, 201, res.text);
  }
  async function bootstrap(name: string): Promise<string> {
    const res = await env.request("POST", `${E}/namespaces/${NS}/agents/${name}/bootstrap`, {});
    assert.equal(res.status, 200, res.text);
    return res.body.token as string;
  }
  const enroll = (name: string, token: string, body: unknown) =>
    env.request("POST", `${E}/namespaces/${NS}/agents/${name}/enroll`, body, { authorization: `Bearer ${token}` });
  const renewal = (name: string, key: KeyObject, who = `agent:${NS}/${name}`) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer(who)
      .setSubject(who)
      .setAudience(RENEWAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("2m")
      .sign(key);

  test("a bootstrap token enrolls once, even when it enrolls the key the Agent already has", async () => {
    await newAgent("replay-1");
    const { publicKey } = ed25519();
    assert.equal((await enroll("replay-1", await bootstrap("replay-1"), { publicKey: spki(publicKey) })).status, 200);
    // The operator re-bootstraps the enrolled agent, which enrolls the same key again (no spec change).
    const again = await bootstrap("replay-1");
    assert.equal((await enroll("replay-1", again, { publicKey: spki(publicKey) })).status, 200);
    // Whoever copied that token (the public key is in the Agent for every reader) gets nothing more.
    const replay = await enroll("replay-1", again, { publicKey: spki(publicKey) });
    assert.equal(replay.status, 401, replay.text);
    assert.equal(replay.body.kind, "Status");
    assert.match(replay.body.message, /already used/);
  });

  test("a newer bootstrap token voids an older one not yet used", async () => {
    await newAgent("replay-2");
    const older = await bootstrap("replay-2");
    const newer = await bootstrap("replay-2");
    const { publicKey } = ed25519();
    const refused = await enroll("replay-2", older, { publicKey: spki(publicKey) });
    assert.equal(refused.status, 401, refused.text);
    assert.equal((await env.request("GET", agentPath("replay-2"))).body.spec.publicKey, undefined);
    assert.equal((await enroll("replay-2", newer, { publicKey: spki(publicKey) })).status, 200);
  });

  test("only a public Ed25519 key is taken: a private key, a certificate, RSA, two keys or junk are 422 naming publicKey", async () => {
    await newAgent("keys");
    const token = await bootstrap("keys");
    const { publicKey, privateKey } = ed25519();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey;
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
    const bad = [
      privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      env.server.pki.caCertPem,
      spki(rsa),
      spki(ec),
      spki(publicKey) + spki(ed25519().publicKey),
      `${spki(publicKey)}\u0000`,
      "-----BEGIN PUBLIC KEY-----\n" + "A".repeat(40_000) + "\n-----END PUBLIC KEY-----\n",
      42,
      [spki(publicKey)],
    ];
    for (const key of bad) {
      const res = await enroll("keys", token, { publicKey: key });
      assert.ok(res.status === 422 || res.status === 400, `${String(key).slice(0, 40)}: ${res.status} ${res.text}`);
      assert.equal(res.body.details.causes[0].field, "publicKey", res.text);
      assert.ok(!res.text.includes("PRIVATE KEY"), "the answer echoes the key");
    }
    assert.equal((await env.request("GET", agentPath("keys"))).body.spec.publicKey, undefined, "nothing was enrolled");
    // The refusals did not use the token up.
    assert.equal((await enroll("keys", token, { publicKey: spki(publicKey) })).status, 200);
  });

  test("renewal signed with another agent's key, or naming another agent, is 401", async () => {
    await newAgent("renew-a");
    await newAgent("renew-b");
    const a = ed25519();
    const b = ed25519();
    assert.equal((await enroll("renew-a", await bootstrap("renew-a"), { publicKey: spki(a.publicKey) })).status, 200);
    assert.equal((await enroll("renew-b", await bootstrap("renew-b"), { publicKey: spki(b.publicKey) })).status, 200);
    const renew = (name: string, assertion: string) =>
      env.request("POST", `${E}/namespaces/${NS}/agents/${name}/token`, {}, { authorization: `Bearer ${assertion}` });
    assert.equal((await renew("renew-a", await renewal("renew-a", a.privateKey))).status, 200);
    for (const assertion of [
      await renewal("renew-a", b.privateKey), // B's key, claiming to be A
      await renewal("renew-b", b.privateKey), // B's own assertion, sent to A's endpoint
    ]) {
      const res = await renew("renew-a", assertion);
      assert.equal(res.status, 401, res.text);
      assert.equal(res.body.kind, "Status");
    }
  });

  test("a hostile agent name in an enrollment path is 400 before the token is looked at", async () => {
    for (const name of ["a%00b", "%zz", "a%01b", "%ED%A0%80", "a%7Fb", "a%2Fb"]) {
      for (const verb of ["bootstrap", "enroll", "token"]) {
        const res = await env.server.app.request(`${E}/namespaces/${NS}/agents/${name}/${verb}`, {
          method: "POST",
          headers: { authorization: `Bearer ${env.adminToken}` },
        });
        const text = await res.text();
        assert.equal(res.status, 400, `${verb} ${name}: ${text}`);
        assert.equal(JSON.parse(text).details.causes[0].field, "path");
      }
    }
  });

  test("a refused enrollment is audited as system:anonymous, not as the agent it names", async () => {
    await newAgent("audited");
    const res = await enroll("audited", "stb1.not.a.token", { publicKey: spki(ed25519().publicKey) });
    assert.equal(res.status, 401, res.text);
    const audit = await env.request("GET", `/audit/v1/events?resource=agents&name=audited&limit=50`);
    assert.equal(audit.status, 200, audit.text);
    const records = (audit.body.items as { user: string; subresource?: string; code: number }[]).filter(
      (r) => r.subresource === "enroll",
    );
    assert.equal(records.length, 1, audit.text);
    assert.equal(records[0].user, "system:anonymous");
    assert.equal(records[0].code, 401);
  });
});
