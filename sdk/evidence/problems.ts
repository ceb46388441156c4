// What can be wrong with a sealed packet or with the chain it belongs to: one typed variant per
// failure, with the values a person needs to act, and the sentence each one reads as.

/** A failure of one packet on its own (its seal, signature, digest or signed content). */
export type PacketProblem =
  /** spec.seal is absent: the packet was never sealed by a server. */
  | { kind: "Unsealed" }
  /** No signature verifies with the given key, and the signatures name other keys. */
  | { kind: "WrongKey"; signedBy: string[]; expected: string }
  /** A signature names the given key (or none) but does not verify: the payload or signature was altered. */
  | { kind: "SignatureInvalid"; keyId: string }
  /** The payload does not hash to spec.seal.digest. */
  | { kind: "DigestMismatch"; recorded: string; actual: string }
  /**
   * The envelope or its payload is not a Stella in-toto Statement (wrong payloadType, not JSON, not canonical, wrong
   * shape).
   */
  | { kind: "PayloadMalformed"; detail: string }
  /**
   * A field of the stored packet differs from what was signed (`field` is the packet's path, e.g.
   * spec.decision.outcome).
   */
  | { kind: "FieldMismatch"; field: string; signed: unknown; stored: unknown };

/** A failure of a packet's place in its chain. */
export type LinkProblem =
  /** Sequences from..to (inclusive) are missing before this packet. */
  | { kind: "SequenceGap"; missingFrom: number; missingTo: number }
  /**
   * The signed previousDigest is not the digest of the packet before it (undefined: none expected or none recorded).
   */
  | {
      kind: "PreviousDigestMismatch";
      recorded: string | undefined;
      expected: string | undefined;
      previous: string | undefined;
    }
  /** Other packets claim the same sequence: the chain forked. */
  | { kind: "Fork"; sequence: number; others: string[] }
  /** The packet was signed for another namespace than the chain's. */
  | { kind: "ForeignNamespace"; namespace: string | undefined; expected: string };

/** Any problem a verification reports. */
export type EvidenceProblem = PacketProblem | LinkProblem;

const short = (id: string) => (id.length > 16 ? `${id.slice(0, 16)}…` : id);

/** A value as it prints in a message: JSON, cut at 80 characters. */
function shown(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The sentence a problem reads as on the command line. */
export function describeProblem(p: EvidenceProblem): string {
  switch (p.kind) {
    case "Unsealed":
      return "not sealed (spec.seal is missing)";
    case "WrongKey":
      return `signed by another key (key id ${p.signedBy.map(short).join(", ")}), not by the given key (${short(p.expected)})`;
    case "SignatureInvalid":
      return `signature invalid: the envelope's signature does not verify with key ${short(p.keyId)} (payload or signature altered)`;
    case "DigestMismatch":
      return `digest mismatch: the payload hashes to ${p.actual}, spec.seal.digest records ${p.recorded}`;
    case "PayloadMalformed":
      return `payload malformed: ${p.detail}`;
    case "FieldMismatch":
      return `${p.field} does not match the signed payload (signed ${shown(p.signed)}, stored ${shown(p.stored)})`;
    case "SequenceGap":
      return p.missingFrom === p.missingTo
        ? `sequence gap: packet ${p.missingFrom} is missing before this one`
        : `sequence gap: packets ${p.missingFrom}-${p.missingTo} are missing before this one`;
    case "PreviousDigestMismatch":
      if (p.expected === undefined)
        return `previousDigest ${p.recorded} is signed, but this is the first packet of the chain`;
      return `previousDigest ${p.recorded ?? "(absent)"} is not the digest of the previous packet ${p.previous ?? "(unnamed)"} (${p.expected})`;
    case "Fork":
      return `fork: sequence ${p.sequence} is also claimed by ${p.others.join(", ")}`;
    case "ForeignNamespace":
      return `signed for namespace ${p.namespace ?? "(none)"}, not ${p.expected}`;
  }
}
