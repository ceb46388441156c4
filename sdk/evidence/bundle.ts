// The file `stella evidence export` writes and an auditor verifies without Stella's server: a
// namespace's packets, complete, with the public key that sealed them (for reference only: the
// auditor verifies with a key they obtained independently).
import type { KeyObject } from "node:crypto";
import { z } from "zod";
import type { EvidencePacket } from "../../crds/evidence-packet.ts";
import { BundleInvalidError } from "./errors.ts";
import { keyIdOfPem, publicKeyOf } from "./keys.ts";
import { verifyChain, type ChainVerdict } from "./verify-chain.ts";

/** The bundle's apiVersion. */
export const EVIDENCE_BUNDLE_API_VERSION = "evidence.stella.io/v1";
/** The bundle's kind. */
export const EVIDENCE_BUNDLE_KIND = "EvidenceBundle";

/** A bundle file. Packets are kept as full objects, in sequence order, and are checked only by verification. */
export const evidenceBundleSchema = z.object({
  apiVersion: z.literal(EVIDENCE_BUNDLE_API_VERSION),
  kind: z.literal(EVIDENCE_BUNDLE_KIND),
  namespace: z.string().min(1),
  exportedAt: z.string().min(1),
  publicKey: z.string().min(1),
  keyId: z.string().min(1),
  packets: z.array(z.looseObject({ metadata: z.looseObject({}), spec: z.looseObject({}) })),
});

/** An evidence bundle. */
export interface EvidenceBundle {
  apiVersion: typeof EVIDENCE_BUNDLE_API_VERSION;
  kind: typeof EVIDENCE_BUNDLE_KIND;
  namespace: string;
  exportedAt: string;
  /** The PEM public key the exporting server seals with (informational; verify with a key you trust). */
  publicKey: string;
  keyId: string;
  packets: EvidencePacket[];
}

const sequenceOf = (p: EvidencePacket) => p.spec?.seal?.sequence ?? Number.MAX_SAFE_INTEGER;

/** Builds the bundle of `namespace` from its packets (any order) and the server's PEM public key. */
export function makeBundle(
  namespace: string,
  packets: readonly EvidencePacket[],
  publicKeyPem: string,
  now: Date,
): EvidenceBundle {
  return {
    apiVersion: EVIDENCE_BUNDLE_API_VERSION,
    kind: EVIDENCE_BUNDLE_KIND,
    namespace,
    exportedAt: now.toISOString(),
    publicKey: publicKeyPem,
    keyId: keyIdOfPem(publicKeyPem),
    packets: [...packets].sort(
      (a, b) => sequenceOf(a) - sequenceOf(b) || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
    ),
  };
}

/** Parses a bundle file's text; throws BundleInvalidError naming the field that is wrong. */
export function parseBundle(text: string): EvidenceBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BundleInvalidError("", `the file is not JSON (${(err as Error).message})`);
  }
  const result = evidenceBundleSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path
      .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join("");
    throw new BundleInvalidError(field, issue.message);
  }
  return result.data as unknown as EvidenceBundle;
}

/** The verdict on a bundle: its chain, and whether the key it names is the one verified with. */
export interface BundleVerdict extends ChainVerdict {
  namespace: string;
  /** The bundle's own keyId equals the id of the key verified with. */
  keyMatches: boolean;
  keyId: string;
}

/** Verifies a bundle's chain (namespace = the bundle's) with a key the verifier trusts. */
export function verifyBundle(bundle: EvidenceBundle, publicKey: string | KeyObject): BundleVerdict {
  const key = publicKeyOf(publicKey);
  const chain = verifyChain(bundle.packets, key, { namespace: bundle.namespace });
  const keyId = keyIdOfPem(key.export({ type: "spki", format: "pem" }).toString());
  return { ...chain, namespace: bundle.namespace, keyMatches: bundle.keyId === keyId, keyId };
}
