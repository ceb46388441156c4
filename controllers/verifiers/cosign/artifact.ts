// Where cosign keeps a signature and how it is shaped: for the digest sha256:X, an OCI image
// manifest at tag `sha256-X.sig` in the image's own repository, one layer per signature, each
// layer's blob the simple-signing payload and its annotation the base64 signature over it.

/** The layer annotation carrying the base64 signature. */
export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
/** The media type of a signature layer (its blob is the payload). */
export const SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
/** The media type of the signature manifest. */
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
/** The media type of the signature manifest's config. */
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

/** The tag cosign stores the signatures of `digest` under: `sha256-<hex>.sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(":", "-")}.sig`;
}

/** One signature of a signature manifest: the payload blob's digest and the signature bytes. */
export interface SignatureLayer {
  payloadDigest: string;
  signature: Buffer;
}

/** The signature layers of a signature manifest; undefined when the manifest is not readable JSON. */
export function signatureLayers(manifest: Uint8Array): SignatureLayer[] | undefined {
  let json: { layers?: unknown };
  try {
    json = JSON.parse(Buffer.from(manifest).toString("utf8")) as { layers?: unknown };
  } catch {
    return undefined;
  }
  if (!Array.isArray(json?.layers)) return undefined;
  const out: SignatureLayer[] = [];
  for (const layer of json.layers as { digest?: unknown; annotations?: Record<string, unknown> }[]) {
    const signature = layer?.annotations?.[SIGNATURE_ANNOTATION];
    if (typeof layer?.digest !== "string" || typeof signature !== "string" || !/^[A-Za-z0-9+/]+=*$/.test(signature))
      continue;
    out.push({ payloadDigest: layer.digest, signature: Buffer.from(signature, "base64") });
  }
  return out;
}
