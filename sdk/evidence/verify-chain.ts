// Verifying a namespace's chain: every packet on its own, then every link. Packets are ordered by
// sequence (the order they arrive in does not matter); the chain must start at 0, run without
// gaps, never fork, and each packet must name the digest of the one before it. Links use the
// stored seal fields: a packet that passes has them equal to what it signed, and one that fails
// is reported itself, so the links around it are judged by what it claims.
import type { KeyObject } from "node:crypto";
import type { EvidencePacket } from "../../crds/evidence-packet.ts";
import { publicKeyOf } from "./keys.ts";
import { verifyPacket, type PacketVerdict } from "./verify-packet.ts";

/** The verdict on a chain: one verdict per packet (link problems included), ordered by sequence. */
export interface ChainVerdict {
  ok: boolean;
  packets: PacketVerdict[];
}

/** Options of verifyChain. */
export interface ChainOptions {
  /** The namespace the chain belongs to; packets signed for another are reported. */
  namespace?: string;
}

const bySequence = (a: PacketVerdict, b: PacketVerdict) =>
  (a.sequence ?? Infinity) - (b.sequence ?? Infinity) || a.name.localeCompare(b.name);

/** Verifies every packet and every link of a chain against an Ed25519 public key. */
export function verifyChain(
  packets: readonly EvidencePacket[],
  publicKey: string | KeyObject,
  opts: ChainOptions = {},
): ChainVerdict {
  const key = publicKeyOf(publicKey);
  const verdicts = packets.map((p) => verifyPacket(p, key)).sort(bySequence);
  const expectedNamespace = opts.namespace ?? verdicts.find((v) => v.namespace !== undefined)?.namespace;
  // A packet signed for another namespace belongs to another chain: reported, and left out of the links.
  const foreign = new Set(verdicts.filter((v) => expectedNamespace !== undefined && v.namespace !== expectedNamespace));
  for (const v of foreign)
    v.problems.push({ kind: "ForeignNamespace", namespace: v.namespace, expected: expectedNamespace! });
  const atSequence = new Map<number, PacketVerdict[]>();
  for (const v of verdicts)
    if (v.sequence !== undefined && !foreign.has(v))
      atSequence.set(v.sequence, [...(atSequence.get(v.sequence) ?? []), v]);
  let previousSequence = -1;
  for (const v of verdicts) {
    if (v.sequence === undefined || foreign.has(v)) continue;
    const same = atSequence.get(v.sequence)!;
    if (same.length > 1)
      v.problems.push({ kind: "Fork", sequence: v.sequence, others: same.filter((o) => o !== v).map((o) => o.name) });
    if (v.sequence > previousSequence + 1)
      v.problems.push({ kind: "SequenceGap", missingFrom: previousSequence + 1, missingTo: v.sequence - 1 });
    else if (v.sequence === 0) {
      if (v.previousDigest !== undefined)
        v.problems.push({
          kind: "PreviousDigestMismatch",
          recorded: v.previousDigest,
          expected: undefined,
          previous: undefined,
        });
    } else {
      // The link holds when it names any packet at the previous sequence (a fork is reported above).
      const before = atSequence.get(v.sequence - 1) ?? [];
      if (!before.some((b) => b.digest === v.previousDigest))
        v.problems.push({
          kind: "PreviousDigestMismatch",
          recorded: v.previousDigest,
          expected: before[0]?.digest,
          previous: before[0]?.name,
        });
    }
    previousSequence = Math.max(previousSequence, v.sequence);
  }
  for (const v of verdicts) v.ok = v.problems.length === 0;
  return { ok: verdicts.length > 0 ? verdicts.every((v) => v.ok) : true, packets: verdicts };
}
