// How an EvidencePacket is sealed, shared by the apiserver (which seals) and every verifier (the
// sdk, the CLI, an auditor's copy): the in-toto Statement a packet signs, its RFC 8785 canonical
// payload, DSSE's pre-authentication encoding, the payload digest, the key id, and sealing itself.
// It lives in crds/ because both sides import it and neither may import the other. Pure: no I/O;
// keys are passed in.
import { createHash, createPublicKey, sign, type KeyObject } from "node:crypto";
import canonicalize from "canonicalize";
import {
  DSSE_PAYLOAD_TYPE,
  EVIDENCE_PREDICATE_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  type EvidencePacket,
  type EvidenceSeal,
  type InTotoStatement,
} from "./evidence-packet.ts";

/** A seal's place in its namespace's chain: what the Statement carries besides the decision. */
export interface SealPosition {
  sequence: number;
  /** The previous packet's digest; absent for sequence 0. */
  previousDigest?: string;
  sealedAt: string;
}

/** The previous packet as the next seal needs it: its sequence and its payload digest. */
export interface ChainHead {
  sequence: number;
  digest: string;
}

/** The predicate fields that come from the seal or metadata rather than from spec, and where a packet keeps them. */
export const PREDICATE_FIELD_SOURCES = {
  sequence: "spec.seal.sequence",
  previousDigest: "spec.seal.previousDigest",
  sealedAt: "spec.seal.sealedAt",
  namespace: "metadata.namespace",
  name: "metadata.name",
} as const;

/**
 * The in-toto Statement of a packet at a position: subject = spec.subjects; predicate = everything
 * in spec except the seal, plus sequence, previousDigest, sealedAt, namespace and name. Nothing
 * else (no labels, annotations or other metadata) is signed.
 */
export function evidenceStatement(packet: EvidencePacket, at: SealPosition): InTotoStatement {
  const { seal: _seal, ...decision } = packet.spec;
  const predicate: Record<string, unknown> = { ...decision, sequence: at.sequence, sealedAt: at.sealedAt };
  if (at.previousDigest !== undefined) predicate.previousDigest = at.previousDigest;
  if (packet.metadata.namespace !== undefined) predicate.namespace = packet.metadata.namespace;
  if (packet.metadata.name !== undefined) predicate.name = packet.metadata.name;
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: packet.spec.subjects ?? [],
    predicateType: EVIDENCE_PREDICATE_TYPE,
    predicate,
  };
}

/**
 * The RFC 8785 canonical JSON of `value` as UTF-8 bytes; throws TypeError for what JSON can not carry (NaN, lone
 * surrogates).
 */
export function canonicalBytes(value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    throw new TypeError(`not canonicalizable as JSON: ${(err as Error).message}`);
  }
  if (text === undefined) throw new TypeError("not canonicalizable as JSON: undefined");
  return Buffer.from(text, "utf8");
}

/** DSSE's pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`, what the signature covers. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType, "utf8")} ${payloadType} ${payload.length} `, "utf8"),
    payload,
  ]);
}

/** The digest of a payload: `sha256:` and 64 lowercase hex digits. */
export function payloadDigest(payload: Buffer): string {
  return `sha256:${createHash("sha256").update(payload).digest("hex")}`;
}

/**
 * The key id of an Ed25519 key (public, or private for its public half): the sha256 of the public key's SPKI DER, hex.
 */
export function evidenceKeyId(key: KeyObject): string {
  const pub = key.type === "public" ? key : createPublicKey(key);
  return createHash("sha256")
    .update(pub.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** The previous packet's chain head; throws TypeError for a packet that was never sealed. */
export function chainHeadOf(previous: EvidencePacket | ChainHead): ChainHead {
  if ("sequence" in previous) return previous;
  const seal = previous.spec.seal;
  if (!seal)
    throw new TypeError(
      `evidence packet ${previous.metadata.name ?? "(unnamed)"} is not sealed; it can not precede another`,
    );
  return { sequence: seal.sequence, digest: seal.digest };
}

/**
 * Seals `packet` as the successor of `previous` (undefined: the first of its namespace) with the
 * Ed25519 private `key` at `now`. Any seal the packet carries is replaced. Returns a new object.
 */
export function sealPacket(
  packet: EvidencePacket,
  previous: EvidencePacket | ChainHead | undefined,
  key: KeyObject,
  now: Date,
): EvidencePacket {
  const head = previous === undefined ? undefined : chainHeadOf(previous);
  const at: SealPosition = {
    sequence: head ? head.sequence + 1 : 0,
    sealedAt: now.toISOString(),
    ...(head ? { previousDigest: head.digest } : {}),
  };
  const payload = canonicalBytes(evidenceStatement(packet, at));
  const keyId = evidenceKeyId(key);
  const sig = sign(null, pae(DSSE_PAYLOAD_TYPE, payload), key);
  const seal: EvidenceSeal = {
    sequence: at.sequence,
    ...(at.previousDigest !== undefined ? { previousDigest: at.previousDigest } : {}),
    digest: payloadDigest(payload),
    keyId,
    sealedAt: at.sealedAt,
    envelope: {
      payloadType: DSSE_PAYLOAD_TYPE,
      payload: payload.toString("base64"),
      signatures: [{ keyid: keyId, sig: sig.toString("base64") }],
    },
  };
  const { seal: _old, ...spec } = packet.spec;
  return { ...packet, spec: { ...spec, seal } };
}
