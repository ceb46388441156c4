// A cosign-style signer for tests: signs the simple-signing payload of `name@digest` and pushes
// the signature artifact (payload and config blobs, then the manifest at tag sha256-<hex>.sig) to
// the real registry, as `cosign sign --key` would without a transparency log. Options produce the
// broken signatures the verifier must refuse.
import type { KeyObject } from "node:crypto";
import type { RegistryClient } from "../../controllers/oci/client/index.ts";
import {
  signatureArtifact,
  signatureTag,
  signPayload,
  simpleSigningPayload,
} from "../../controllers/verifiers/cosign/index.ts";

/** How to sign. */
export interface SignOptions {
  /** Sign a payload naming this digest instead (a valid signature for the wrong image). */
  payloadDigest?: string;
  /** Change the payload after signing (the signature no longer matches it). */
  tamper?: boolean;
}

/** Signs `name@digest` with `privateKey` and pushes the signature; resolves with the signature manifest's digest. */
export async function signImage(
  client: RegistryClient,
  name: string,
  digest: string,
  privateKey: KeyObject,
  opts: SignOptions = {},
): Promise<string> {
  const signed = simpleSigningPayload(name, opts.payloadDigest ?? digest);
  const signature = signPayload(privateKey, signed);
  const payload = opts.tamper
    ? Buffer.from(signed.toString().replace('"optional":null', '"optional":{"tampered":true}'))
    : signed;
  const artifact = signatureArtifact(payload, signature);
  await client.pushBlob(name, artifact.config);
  await client.pushBlob(name, artifact.payload);
  return client.pushManifest(`${name}:${signatureTag(digest)}`, artifact.manifest, artifact.mediaType);
}
