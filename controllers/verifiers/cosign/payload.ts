// The "simple signing" payload cosign signs: a small JSON document naming the image's manifest
// digest (and the repository it was signed under). The signature covers these exact bytes.

/** The `critical.type` of every cosign image signature payload. */
export const SIMPLE_SIGNING_TYPE = "cosign container image signature";

/** What a payload claims, once parsed. */
export interface SimpleSigningClaims {
  /** critical.image["docker-manifest-digest"]. */
  digest: string;
  /** critical.identity["docker-reference"]. */
  reference: string;
  /** critical.type. */
  type: string;
}

/** The payload cosign writes for `repository@digest`, as bytes. */
export function simpleSigningPayload(repository: string, digest: string): Buffer {
  const payload = {
    critical: {
      identity: { "docker-reference": repository },
      image: { "docker-manifest-digest": digest },
      type: SIMPLE_SIGNING_TYPE,
    },
    optional: null,
  };
  return Buffer.from(JSON.stringify(payload));
}

/** The claims of a payload; undefined when it is not a simple-signing document. */
export function parseSimpleSigning(bytes: Uint8Array): SimpleSigningClaims | undefined {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return undefined;
  }
  const critical = (json as { critical?: Record<string, unknown> } | null)?.critical;
  if (typeof critical !== "object" || critical === null) return undefined;
  const digest = (critical.image as Record<string, unknown> | undefined)?.["docker-manifest-digest"];
  const reference = (critical.identity as Record<string, unknown> | undefined)?.["docker-reference"];
  const type = critical.type;
  if (typeof digest !== "string" || typeof type !== "string") return undefined;
  return { digest, reference: typeof reference === "string" ? reference : "", type };
}
