// Verifies a namespace's evidence chain in the browser with WebCrypto and the server's public key,
// as `stella evidence verify` does offline: each packet's Ed25519 signature over the DSSE PAE of
// its payload, the payload's sha256 against the seal's digest, the stored fields against what was
// signed (the Statement is rebuilt from the stored packet and compared byte for byte), and each
// link: a packet names the digest of the one before it.
import canonicalize from "canonicalize";
import type { EvidencePacket as Packet } from "../../crds/evidence-packet.ts";
import type { Stored } from "./watch.ts";

type EvidencePacket = Stored<Packet>;

/** What was found about one packet: nothing (ok) or the reasons it is broken. */
export interface PacketCheck {
  name: string;
  ok: boolean;
  problems: string[];
}

const IN_TOTO = "https://in-toto.io/Statement/v1";

const bytes = (b64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The Ed25519 public key in `pem` (SPKI). */
export async function importPublicKey(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return crypto.subtle.importKey("spki", bytes(b64), { name: "Ed25519" }, false, ["verify"]);
}

function pae(type: string, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const enc = new TextEncoder();
  const head = enc.encode(`DSSEv1 ${enc.encode(type).length} ${type} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

/** The Statement the stored packet claims to be (crds/evidence-seal.ts evidenceStatement). */
function claimedStatement(p: EvidencePacket, predicateType: string): unknown {
  const { seal, ...decision } = p.spec;
  const predicate: Record<string, unknown> = { ...decision, sequence: seal?.sequence, sealedAt: seal?.sealedAt };
  if (seal?.previousDigest !== undefined) predicate.previousDigest = seal.previousDigest;
  if (p.metadata.namespace !== undefined) predicate.namespace = p.metadata.namespace;
  if (p.metadata.name !== undefined) predicate.name = p.metadata.name;
  return { _type: IN_TOTO, subject: p.spec.subjects ?? [], predicateType, predicate };
}

async function checkPacket(p: EvidencePacket, key: CryptoKey, previous: EvidencePacket | undefined) {
  const problems: string[] = [];
  const seal = p.spec.seal;
  if (!seal) return ["not sealed"];
  const payload = bytes(seal.envelope.payload);
  const sig = seal.envelope.signatures[0]?.sig;
  const signed =
    sig && (await crypto.subtle.verify("Ed25519", key, bytes(sig), pae(seal.envelope.payloadType, payload)));
  if (!signed) problems.push("the signature does not verify with the server's key");
  const digest = `sha256:${hex(await crypto.subtle.digest("SHA-256", payload))}`;
  if (digest !== seal.digest) problems.push(`the payload's digest is ${digest}, the seal says ${seal.digest}`);
  const text = new TextDecoder().decode(payload);
  let predicateType = "";
  try {
    predicateType = (JSON.parse(text) as { predicateType: string }).predicateType;
  } catch {
    problems.push("the payload is not JSON");
  }
  if (predicateType && canonicalize(claimedStatement(p, predicateType)) !== text)
    problems.push("the stored packet differs from what was signed");
  const expected = previous?.spec.seal?.digest;
  if (seal.sequence > 0 && seal.previousDigest !== expected)
    problems.push(
      `broken link: names ${seal.previousDigest ?? "nothing"} before it, the previous packet is ${expected ?? "missing"}`,
    );
  return problems;
}

/** Checks every packet of a chain (sorted by sequence) against `publicKeyPem`. */
export async function verifyChain(packets: EvidencePacket[], publicKeyPem: string): Promise<PacketCheck[]> {
  const key = await importPublicKey(publicKeyPem);
  const sorted = [...packets].sort((a, b) => (a.spec.seal?.sequence ?? 0) - (b.spec.seal?.sequence ?? 0));
  const bySequence = new Map(sorted.map((p) => [p.spec.seal?.sequence, p]));
  const checks: PacketCheck[] = [];
  for (const p of sorted) {
    const problems = await checkPacket(p, key, bySequence.get((p.spec.seal?.sequence ?? 0) - 1));
    checks.push({ name: p.metadata.name, ok: problems.length === 0, problems });
  }
  return checks;
}
