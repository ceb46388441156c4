// Verifying one sealed packet offline with only the public key: the signature over the DSSE PAE
// of the payload, the payload's digest, its shape, and that every field of the stored packet is
// what was signed. The result names each failure; nothing here throws for a bad packet.
import { verify, type KeyObject } from "node:crypto";
import { canonicalBytes, evidenceKeyId, evidenceStatement, pae, payloadDigest } from "../../crds/evidence-seal.ts";
import {
  DSSE_PAYLOAD_TYPE,
  EVIDENCE_PREDICATE_TYPE,
  inTotoStatement,
  type EvidencePacket,
  type InTotoStatement,
} from "../../crds/evidence-packet.ts";
import { differences, predicateDifferences } from "./field-diff.ts";
import { publicKeyOf } from "./keys.ts";
import type { EvidenceProblem, PacketProblem } from "./problems.ts";

/**
 * The verdict on one packet. Position fields are the stored ones (metadata, spec.seal): when the
 * packet passes, they equal what was signed; when it fails, the chain is judged by what the packet
 * claims, so a failure stays with the packet that has it instead of spreading to its neighbours.
 */
export interface PacketVerdict {
  name: string;
  namespace: string | undefined;
  sequence: number | undefined;
  previousDigest: string | undefined;
  /** spec.seal.digest (checked against the payload's sha256), what the next packet must name. */
  digest: string | undefined;
  type: string | undefined;
  outcome: string | undefined;
  problems: EvidenceProblem[];
  ok: boolean;
}

const record = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Decodes the envelope's payload into a Statement, or says why it is not one. */
function decodeStatement(
  payloadType: unknown,
  payload: Buffer,
): { statement?: InTotoStatement; problem?: PacketProblem } {
  if (payloadType !== DSSE_PAYLOAD_TYPE)
    return {
      problem: {
        kind: "PayloadMalformed",
        detail: `payloadType is ${JSON.stringify(payloadType)}, not ${DSSE_PAYLOAD_TYPE}`,
      },
    };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    return { problem: { kind: "PayloadMalformed", detail: "the payload is not JSON" } };
  }
  const result = inTotoStatement.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      problem: {
        kind: "PayloadMalformed",
        detail: `not an in-toto Statement: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
      },
    };
  }
  if (result.data.predicateType !== EVIDENCE_PREDICATE_TYPE)
    return {
      problem: {
        kind: "PayloadMalformed",
        detail: `predicateType is ${result.data.predicateType}, not ${EVIDENCE_PREDICATE_TYPE}`,
      },
    };
  try {
    if (!canonicalBytes(parsed).equals(payload))
      return {
        statement: result.data,
        problem: { kind: "PayloadMalformed", detail: "the payload is not RFC 8785 canonical JSON" },
      };
  } catch {
    return { problem: { kind: "PayloadMalformed", detail: "the payload is not canonicalizable JSON" } };
  }
  return { statement: result.data };
}

/** Whether any of the envelope's signatures verifies with `key` over PAE(payloadType, payload). */
function signatureVerifies(
  key: KeyObject,
  payloadType: string,
  payload: Buffer,
  signatures: { sig?: unknown }[],
): boolean {
  const message = pae(payloadType, payload);
  return signatures.some((s) => {
    if (typeof s.sig !== "string") return false;
    try {
      return verify(null, message, key, Buffer.from(s.sig, "base64"));
    } catch {
      return false;
    }
  });
}

/** Verifies one packet against an Ed25519 public key (PEM or KeyObject). */
export function verifyPacket(packet: EvidencePacket, publicKey: string | KeyObject): PacketVerdict {
  const key = publicKeyOf(publicKey);
  const expectedKeyId = evidenceKeyId(key);
  const meta = record(packet?.metadata);
  const spec = record(packet?.spec);
  const seal = record(spec.seal);
  const verdict: PacketVerdict = {
    name: typeof meta.name === "string" ? meta.name : "(unnamed)",
    namespace: typeof meta.namespace === "string" ? meta.namespace : undefined,
    sequence: typeof seal.sequence === "number" ? seal.sequence : undefined,
    previousDigest: typeof seal.previousDigest === "string" ? seal.previousDigest : undefined,
    digest: typeof seal.digest === "string" ? seal.digest : undefined,
    type: typeof spec.type === "string" ? spec.type : undefined,
    outcome: typeof record(spec.decision).outcome === "string" ? (record(spec.decision).outcome as string) : undefined,
    problems: [],
    ok: false,
  };
  const problems = verdict.problems;
  const envelope = record(seal.envelope);
  if (spec.seal === undefined || typeof envelope.payload !== "string") {
    problems.push(
      spec.seal === undefined
        ? { kind: "Unsealed" }
        : { kind: "PayloadMalformed", detail: "spec.seal.envelope.payload is missing" },
    );
    return verdict;
  }
  const payload = Buffer.from(envelope.payload, "base64");
  const payloadType = typeof envelope.payloadType === "string" ? envelope.payloadType : "";
  const signatures = Array.isArray(envelope.signatures)
    ? (envelope.signatures as { sig?: unknown; keyid?: unknown }[]).map(record)
    : [];
  const verified = signatureVerifies(key, payloadType, payload, signatures);
  if (!verified) {
    const named = signatures.map((s) => s.keyid).filter((k): k is string => typeof k === "string");
    const signedBy = named.length > 0 ? named : typeof seal.keyId === "string" ? [seal.keyId] : [];
    if (signedBy.length > 0 && !signedBy.includes(expectedKeyId))
      problems.push({ kind: "WrongKey", signedBy, expected: expectedKeyId });
    else problems.push({ kind: "SignatureInvalid", keyId: expectedKeyId });
  } else if (seal.keyId !== expectedKeyId) {
    problems.push({ kind: "FieldMismatch", field: "spec.seal.keyId", signed: expectedKeyId, stored: seal.keyId });
  }
  const actual = payloadDigest(payload);
  if (seal.digest !== actual)
    problems.push({ kind: "DigestMismatch", recorded: String(seal.digest ?? "(absent)"), actual });
  const { statement, problem } = decodeStatement(payloadType, payload);
  if (problem) problems.push(problem);
  if (statement) {
    const signed = statement.predicate;
    const stored = { metadata: meta, spec } as unknown as EvidencePacket;
    const implied = evidenceStatement(stored, {
      sequence: seal.sequence as number,
      sealedAt: seal.sealedAt as string,
      ...(seal.previousDigest !== undefined ? { previousDigest: seal.previousDigest as string } : {}),
    });
    const diffs = [
      ...differences(statement.subject, implied.subject, "spec.subjects"),
      ...predicateDifferences(signed, implied.predicate),
    ];
    // spec.subjects is signed twice (as the Statement's subject and in the predicate): name it once.
    const seen = new Set<string>();
    for (const d of diffs) {
      if (seen.has(d.field)) continue;
      seen.add(d.field);
      problems.push({ kind: "FieldMismatch", ...d });
    }
  }
  verdict.ok = problems.length === 0;
  return verdict;
}
