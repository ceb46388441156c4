import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, verify } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pae } from "../../crds/evidence-seal.ts";
import type { EvidencePacket, EvidenceSeal } from "../../crds/evidence-packet.ts";
import { openStorage } from "../storage/index.ts";
import { isStorageError, type Storage, type StoredObject } from "../storage/types.ts";
import { EVIDENCE_RESOURCE, EvidenceSealer, sealingStorage } from "./sealing-storage.ts";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
let dir: string;
let raw: Storage;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "stella-sealing-"));
  raw = await openStorage({ backend: "pglite", dataDir: join(dir, "db") }, { compactIntervalMs: 0 });
});
after(async () => {
  await raw.close();
  await rm(dir, { recursive: true, force: true });
});

const packet = (namespace: string, name: string): StoredObject =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "EvidencePacket",
    metadata: { name, namespace, uid: name },
    spec: { type: "Approval", subject: { kind: "Promotion", name: "p" }, decision: { outcome: "Approved" } },
  }) as StoredObject;
const keyOf = (namespace: string, name: string) => ({ resource: EVIDENCE_RESOURCE, namespace, name });
const sealOf = (o: StoredObject) => (o as unknown as EvidencePacket).spec.seal as EvidenceSeal;

/** The chain of a namespace as stored, by sequence, checking each link. */
async function chainOf(namespace: string): Promise<EvidenceSeal[]> {
  const seals = (await raw.list({ resource: EVIDENCE_RESOURCE, namespace })).items
    .map(sealOf)
    .sort((a, b) => a.sequence - b.sequence);
  seals.forEach((s, i) => {
    assert.equal(s.sequence, i, "sequences run 0, 1, 2, ... without gaps or repeats");
    assert.equal(
      s.previousDigest,
      i === 0 ? undefined : seals[i - 1].digest,
      `packet ${i} names the digest of packet ${i - 1}`,
    );
    assert.ok(
      verify(
        null,
        pae(s.envelope.payloadType, Buffer.from(s.envelope.payload, "base64")),
        publicKey,
        Buffer.from(s.envelope.signatures[0].sig, "base64"),
      ),
    );
  });
  return seals;
}

test("creates are sealed as consecutive links; other resources pass through untouched", async () => {
  const storage = sealingStorage(raw, new EvidenceSealer(raw, privateKey));
  for (const name of ["a", "b", "c"]) await storage.create(keyOf("one", name), packet("one", name));
  assert.equal((await chainOf("one")).length, 3);
  const other = await storage.create(
    { resource: "releases", namespace: "one", name: "r" },
    { metadata: { name: "r" }, spec: {} },
  );
  assert.deepEqual(other.spec, {});
});

test("two sealers sharing one database (two apiservers) racing on one namespace still build one linear chain", async () => {
  // Each sealer has its own lock and head cache, as separate processes would: only the unique index stops a fork.
  let lost = 0;
  const create: Storage["create"] = (key, obj, opts) =>
    raw.create(key, obj, opts).catch((e: unknown) => {
      if (isStorageError(e, "KeyExists")) lost++;
      throw e;
    });
  const counting = new Proxy(raw, {
    get: (t, p) => (p === "create" ? create : (Reflect.get(t, p, t) as () => unknown).bind(t)),
  });
  const sealers = [new EvidenceSealer(counting, privateKey), new EvidenceSealer(counting, privateKey)];
  const stores = sealers.map((s) => sealingStorage(counting, s));
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => stores[i % 2].create(keyOf("race", `p${i}`), packet("race", `p${i}`))),
  );
  assert.equal((await chainOf("race")).length, 20);
  assert.ok(lost > 0, "the sealers did collide on sequences (and resealed)");
});

test("a taken name stays KeyExists; a sequence stored behind the sealer's back is refused by the database", async () => {
  const storage = sealingStorage(raw, new EvidenceSealer(raw, privateKey));
  await storage.create(keyOf("names", "x"), packet("names", "x"));
  await assert.rejects(storage.create(keyOf("names", "x"), packet("names", "x")), (e) =>
    isStorageError(e, "KeyExists"),
  );
  const copy = structuredClone(await raw.get(keyOf("names", "x")))!;
  copy.metadata = { name: "y", namespace: "names" };
  await assert.rejects(
    raw.create(keyOf("names", "y"), copy),
    (e) => isStorageError(e, "KeyExists"),
    "a second packet at sequence 0 can not be stored",
  );
  await storage.create(keyOf("names", "z"), packet("names", "z"));
  assert.equal((await chainOf("names")).length, 2, "the failed attempts consumed no sequence");
});
