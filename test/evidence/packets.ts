// EvidencePackets for the evidence suites, written through the API as admin, and the server's
// evidence public key as it sits in the data directory.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { EvidencePacket, EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import { approvalPacket } from "../../sdk/evidence/test-packets.ts";
import type { TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";

/** The packets collection URL of a namespace. */
export const packetsUrl = (namespace: string) => collection("evidencepackets", namespace);

/** Creates namespace `name`. */
export async function createNamespace(env: TestEnv, name: string): Promise<void> {
  const r = await env.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name },
  });
  assert.equal(r.status, 201, r.text);
}

/** Creates an approval packet `name` in `namespace` through the API and returns what the server stored. */
export async function createPacket(
  env: TestEnv,
  namespace: string,
  name: string,
  spec: Partial<EvidencePacketSpec> = {},
  query = "",
): Promise<EvidencePacket> {
  const r = await env.request("POST", packetsUrl(namespace) + query, approvalPacket(name, namespace, spec));
  assert.equal(r.status, 201, r.text);
  return r.body as EvidencePacket;
}

/** Every packet of a namespace, by sequence. */
export async function listPackets(env: TestEnv, namespace: string): Promise<EvidencePacket[]> {
  const r = await env.request("GET", packetsUrl(namespace));
  assert.equal(r.status, 200, r.text);
  return (r.body.items as EvidencePacket[]).sort((a, b) => a.spec.seal!.sequence - b.spec.seal!.sequence);
}

/** The server's evidence public key (DATA/evidence.pub). */
export const publicKeyPem = (env: TestEnv) => readFile(join(env.dataDir, "evidence.pub"), "utf8");

/**
 * Rewrites a stored packet below the API (which refuses to change evidence), as an attacker with database access would.
 */
export async function tamperStored(
  env: TestEnv,
  namespace: string,
  name: string,
  change: (p: EvidencePacket) => void,
): Promise<void> {
  const key = { resource: "evidencepackets", namespace, name };
  const row = (await env.server.storage.get(key))!;
  change(row as unknown as EvidencePacket);
  await env.server.storage.update(key, row, Number(row.metadata.resourceVersion));
}
