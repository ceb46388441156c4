// Producing a cosign-style signature artifact, as `cosign sign --key` does (without the
// transparency log): sign the simple-signing payload and wrap it in a signature manifest. Pushing
// it is the caller's business (blobs first, then the manifest at signatureTag(digest)).
import { createHash, sign, type KeyObject } from "node:crypto";
import { OCI_CONFIG, OCI_MANIFEST, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from "./artifact.ts";

/** The blobs and manifest of one signature artifact, ready to push. */
export interface SignatureArtifact {
  config: Buffer;
  payload: Buffer;
  manifest: Buffer;
  mediaType: typeof OCI_MANIFEST;
}

const sha256 = (body: Buffer): string => `sha256:${createHash("sha256").update(body).digest("hex")}`;

/** Signs `payload` with an ECDSA (DER signature) or Ed25519 private key. */
export function signPayload(privateKey: KeyObject, payload: Buffer): Buffer {
  if (privateKey.asymmetricKeyType === "ed25519") return sign(null, payload, privateKey);
  const hash = privateKey.asymmetricKeyDetails?.namedCurve === "secp384r1" ? "sha384" : "sha256";
  return sign(hash, payload, { key: privateKey, dsaEncoding: "der" });
}

/** A signature manifest with one layer: `payload` as its blob, `signature` (over the payload) as its annotation. */
export function signatureArtifact(payload: Buffer, signature: Buffer): SignatureArtifact {
  const config = Buffer.from(
    JSON.stringify({
      architecture: "",
      created: "0001-01-01T00:00:00Z",
      os: "",
      rootfs: { type: "layers", diff_ids: [sha256(payload)] },
      config: {},
    }),
  );
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, size: config.length, digest: sha256(config) },
    layers: [
      {
        mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
        size: payload.length,
        digest: sha256(payload),
        annotations: { [SIGNATURE_ANNOTATION]: signature.toString("base64") },
      },
    ],
  };
  return { config, payload, manifest: Buffer.from(JSON.stringify(manifest)), mediaType: OCI_MANIFEST };
}
