// Packets and keys for the evidence tests (here and in test/evidence): a decision with subjects,
// gates and details, and chains sealed with a throwaway Ed25519 key.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { sealPacket } from "../../crds/evidence-seal.ts";
import type { EvidencePacket, EvidencePacketSpec } from "../../crds/evidence-packet.ts";

/** A fresh Ed25519 key pair with its public half as PEM. */
export function testKey(): { privateKey: KeyObject; publicKey: KeyObject; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

/** An unsealed approval packet named `name` in `namespace`. */
export function approvalPacket(
  name: string,
  namespace = "shop",
  spec: Partial<EvidencePacketSpec> = {},
): EvidencePacket {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "EvidencePacket",
    metadata: { name, namespace, labels: { "stella.io/release": "shop-1-4-0" }, annotations: { note: "not signed" } },
    spec: {
      type: "Approval",
      subject: { apiVersion: "release.stella.io/v1alpha1", kind: "Promotion", name: "shop-1-4-0-prod" },
      release: "shop-1-4-0",
      environment: "prod",
      decision: { outcome: "Approved", message: "looks good" },
      actor: { username: "bob", groups: ["approvers"] },
      decidedAt: "2025-03-01T10:00:00Z",
      subjects: [
        { name: "registry.example/shop/web", digest: { sha256: "a".repeat(64) } },
        { name: "registry.example/shop/worker", digest: { sha256: "b".repeat(64) } },
      ],
      policy: { name: "prod", digest: `sha256:${"c".repeat(64)}` },
      gates: [{ name: "soak", verdict: "Passed", inputs: { requiredSoak: "1h", soaked: 3.5 } }],
      details: { ratio: 0.1, nested: { list: [1, 2, 3] } },
      ...spec,
    },
  };
}

/** `n` packets sealed in order as one chain with `key`, one second apart. */
export function sealedChain(n: number, key: KeyObject, namespace = "shop"): EvidencePacket[] {
  const out: EvidencePacket[] = [];
  for (let i = 0; i < n; i++)
    out.push(sealPacket(approvalPacket(`p${i}`, namespace), out.at(-1), key, new Date(Date.UTC(2025, 2, 1, 10, 0, i))));
  return out;
}

/** A deep copy, for tampering. */
export const copy = <T>(v: T): T => structuredClone(v);
