// Sealing through the real apiserver: every EvidencePacket created is signed into its namespace's
// chain; concurrent creates stay linear; client seals, dry runs, updates and deletes can not
// bend it; only spec is signed; the public key is served to any authenticated caller.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EvidencePacket } from "../../crds/evidence-packet.ts";
import { evidenceKeyId } from "../../crds/evidence-seal.ts";
import { parsePublicKey } from "../../sdk/evidence/keys.ts";
import { approvalPacket } from "../../sdk/evidence/test-packets.ts";
import { verifyChain } from "../../sdk/evidence/verify-chain.ts";
import { verifyPacket } from "../../sdk/evidence/verify-packet.ts";
import { ApiServer } from "../../apiserver/server.ts";
import { silentLogger } from "../../apiserver/logging/logger.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { createNamespace, createPacket, listPackets, packetsUrl, publicKeyPem } from "./packets.ts";

let env: TestEnv;
let pem: string;

before(async () => {
  env = await startEnv();
  pem = await publicKeyPem(env);
});
after(() => env.stop());

test("the first start creates DATA/evidence.key (0600) and serves the public key to authenticated callers", async () => {
  assert.equal((await stat(join(env.dataDir, "evidence.key"))).mode & 0o777, 0o600);
  const served = await env.request("GET", "/evidence/public-key");
  assert.equal(served.status, 200);
  assert.equal(served.text, pem);
  assert.equal(served.headers.get("content-type"), "application/x-pem-file");
  const viewer = await env.token("vera", "viewer", "elsewhere");
  assert.equal(
    (await env.request("GET", "/evidence/public-key", undefined, { authorization: `Bearer ${viewer}` })).status,
    200,
  );
  const anonymous = await env.request("GET", "/evidence/public-key", undefined, { authorization: "" });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.kind, "Status");
});

test("packets are sealed as consecutive links of their namespace's chain, signed by the server's key", async () => {
  await createNamespace(env, "seq");
  await createNamespace(env, "seq-other");
  const created = [
    await createPacket(env, "seq", "a"),
    await createPacket(env, "seq", "b"),
    await createPacket(env, "seq-other", "x"),
    await createPacket(env, "seq", "c"),
  ];
  assert.deepEqual(
    created.map((p) => p.spec.seal!.sequence),
    [0, 1, 0, 2],
    "each namespace has its own chain",
  );
  assert.equal(created[1].spec.seal!.previousDigest, created[0].spec.seal!.digest);
  assert.equal(created[3].spec.seal!.previousDigest, created[1].spec.seal!.digest);
  assert.equal(created[0].spec.seal!.keyId, evidenceKeyId(parsePublicKey(pem)));
  const stored = await listPackets(env, "seq");
  assert.deepEqual(
    stored.map((p) => p.metadata.name),
    ["a", "b", "c"],
  );
  assert.deepEqual(
    stored.map((p) => p.spec.seal),
    [created[0], created[1], created[3]].map((p) => p.spec.seal),
    "what the create answered is what is stored",
  );
  const chain = verifyChain(stored, pem, { namespace: "seq" });
  assert.equal(chain.ok, true, JSON.stringify(chain.packets.map((p) => p.problems)));
});

test("20 concurrent creates in one namespace give a gapless linear chain", async () => {
  await createNamespace(env, "burst");
  await Promise.all(Array.from({ length: 20 }, (_, i) => createPacket(env, "burst", `p${i}`)));
  const stored = await listPackets(env, "burst");
  assert.deepEqual(
    stored.map((p) => p.spec.seal!.sequence),
    Array.from({ length: 20 }, (_, i) => i),
  );
  const chain = verifyChain(stored, pem, { namespace: "burst" });
  assert.equal(chain.ok, true, JSON.stringify(chain.packets.filter((p) => !p.ok)));
});

test("a seal sent by the client is replaced; a dry run is not sealed and consumes no sequence", async () => {
  await createNamespace(env, "forged");
  const first = await createPacket(env, "forged", "first");
  const fake = { ...first.spec.seal!, sequence: 41, digest: `sha256:${"0".repeat(64)}` };
  const dry = await createPacket(env, "forged", "dry", { seal: fake }, "?dryRun=All");
  assert.equal(dry.spec.seal, undefined, "a dry run is validated, not sealed");
  const forged = await createPacket(env, "forged", "forged", { seal: fake });
  assert.equal(forged.spec.seal!.sequence, 1, "the server's sequence, not the client's, and the dry run took none");
  assert.equal(forged.spec.seal!.previousDigest, first.spec.seal!.digest);
  assert.notEqual(forged.spec.seal!.digest, fake.digest);
  assert.equal(verifyPacket(forged, pem).ok, true);
  const bad = await env.request("POST", packetsUrl("forged"), {
    ...forged,
    metadata: { name: "bad" },
    spec: { ...forged.spec, seal: { sequence: "x" } },
  });
  assert.equal(bad.status, 201, "even a malformed client seal is simply dropped");
});

test("packets are write-once: spec updates are refused, deletes are refused, labels may change", async () => {
  await createNamespace(env, "once");
  const p = await createPacket(env, "once", "p");
  const url = `${packetsUrl("once")}/p`;
  const put = await env.request("PUT", url, { ...p, spec: { ...p.spec, decision: { outcome: "Rejected" } } });
  assert.equal(put.status, 422);
  assert.deepEqual(
    put.body.details.causes.map((c: { field: string }) => c.field),
    ["spec"],
  );
  const patch = await env.request(
    "PATCH",
    url,
    { spec: { decision: { outcome: "Rejected" } } },
    { "content-type": "application/merge-patch+json" },
  );
  assert.equal(patch.status, 422);
  const reseal = await env.request(
    "PATCH",
    url,
    { spec: { seal: null } },
    { "content-type": "application/merge-patch+json" },
  );
  assert.equal(reseal.status, 422, "the seal is part of the immutable spec");
  const del = await env.request("DELETE", url);
  assert.equal(del.status, 403);
  assert.equal(del.body.kind, "Status");
  assert.equal(del.body.reason, "Forbidden");
  assert.match(del.body.message, /write-once sealed evidence and can not be deleted/);
  assert.equal((await env.request("DELETE", packetsUrl("once"))).status, 403, "deletecollection is refused too");
  const labelled = await env.request(
    "PATCH",
    url,
    { metadata: { labels: { reviewed: "yes" } } },
    { "content-type": "application/merge-patch+json" },
  );
  assert.equal(labelled.status, 200, labelled.text);
  assert.equal(verifyPacket(labelled.body, pem).ok, true, "labels are not signed");
  assert.equal((await listPackets(env, "once")).length, 1);
  const ns = await env.request("DELETE", "/api/v1/namespaces/once");
  assert.equal(
    ns.status,
    403,
    "a namespace holding evidence is not deleted (emptying it would stop at the packets forever)",
  );
  assert.match(ns.body.message, /namespace "once" holds sealed evidence/);
  assert.equal(
    (await env.request("GET", "/api/v1/namespaces/once")).body.metadata.deletionTimestamp,
    undefined,
    "and is not left Terminating",
  );
  await createNamespace(env, "no-evidence");
  assert.equal(
    (await env.request("DELETE", "/api/v1/namespaces/no-evidence")).status,
    202,
    "others are deleted as before (emptied first: 202)",
  );
});

test("only spec (and the packet's position, namespace and name) is signed: metadata values never enter evidence", async () => {
  await createNamespace(env, "private");
  const p = await createPacket(env, "private", "p");
  const withSecret = await env.request("POST", packetsUrl("private"), {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "EvidencePacket",
    metadata: { name: "q", labels: { tier: "hunter2-label" }, annotations: { password: "hunter2-annotation" } },
    spec: { ...p.spec, seal: undefined },
  });
  assert.equal(withSecret.status, 201, withSecret.text);
  const payload = Buffer.from(withSecret.body.spec.seal.envelope.payload, "base64").toString("utf8");
  assert.ok(!payload.includes("hunter2"), "labels and annotations are not in the signed payload");
  const statement = JSON.parse(payload);
  assert.deepEqual(
    Object.keys(statement.predicate).sort(),
    [
      ...Object.keys(p.spec).filter((k) => k !== "seal"),
      "name",
      "namespace",
      "previousDigest",
      "sealedAt",
      "sequence",
    ].sort(),
  );
  const surrogate = await env.request(
    "POST",
    packetsUrl("private"),
    `{"apiVersion":"release.stella.io/v1alpha1","kind":"EvidencePacket","metadata":{"name":"s"},"spec":{"type":"Approval","subject":{"kind":"Promotion","name":"p"},"decision":{"outcome":"\\ud800"}}}`,
  );
  // Refused where bodies are decoded (apiserver/http/body-shape.ts), naming the exact field.
  assert.equal(surrogate.status, 400, surrogate.text);
  assert.equal(surrogate.body.details.causes[0].field, "spec.decision.outcome");
});

test("a restarted apiserver keeps its key and continues each chain from storage", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "stella-evidence-restart-"));
  const start = () => ApiServer.start({ dataDir, port: 0, listen: false, logger: silentLogger });
  const create = async (server: ApiServer, name: string) => {
    const token = await server.issuer.issue({ subject: "admin", grants: [{ namespace: "*", role: "admin" }] });
    const res = await server.app.request(packetsUrl("default"), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(approvalPacket(name, "default")),
    });
    assert.equal(res.status, 201);
    return (await res.json()) as EvidencePacket;
  };
  try {
    const first = await start();
    const before = await create(first, "before");
    await first.stop();
    const second = await start();
    try {
      const after = await create(second, "after");
      assert.equal(after.spec.seal!.keyId, before.spec.seal!.keyId, "the same key after a restart");
      assert.equal(after.spec.seal!.sequence, 1);
      assert.equal(after.spec.seal!.previousDigest, before.spec.seal!.digest, "the head was read back from storage");
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
