// The cosign-style verifier, offline (no Rekor transparency log, no Fulcio certificates): the
// digest is verified when its signature manifest holds a layer whose signature verifies over the
// payload blob with the public key AND whose payload names exactly that digest. A valid signature
// over a payload for another digest proves nothing about this one.
import {
  VerificationReasons as R,
  type SignatureVerifier,
  type VerifyRequest,
  type VerifyResult,
} from "../../../sdk/plugins/signature-verifier.ts";
import { signatureLayers, signatureTag } from "./artifact.ts";
import { readPublicKey, verifySignature } from "./key.ts";
import { parseSimpleSigning, SIMPLE_SIGNING_TYPE } from "./payload.ts";

/** The name Releases select this verifier by. */
export const COSIGN = "cosign";

/** Verifies cosign key-pair signatures stored beside the image (`sha256-<hex>.sig`). */
export const cosignVerifier: SignatureVerifier = {
  name: COSIGN,
  verify,
};

async function verify(req: VerifyRequest): Promise<VerifyResult> {
  const key = readPublicKey(req.publicKeyPem);
  if ("problem" in key) return { verified: false, reason: R.KeyInvalid, message: `the public key ${key.problem}` };
  const { keyId } = key;
  const tag = signatureTag(req.digest);
  const manifest = await req.registry.manifest(tag);
  if (!manifest)
    return {
      verified: false,
      reason: R.Unsigned,
      message: `no signature for ${req.digest} (no ${tag} in ${req.repository})`,
      keyId,
    };
  const layers = signatureLayers(manifest.body);
  if (!layers)
    return {
      verified: false,
      reason: R.SignatureMalformed,
      message: `${req.repository}:${tag} is not a signature manifest`,
      keyId,
    };
  if (layers.length === 0)
    return {
      verified: false,
      reason: R.Unsigned,
      message: `${req.repository}:${tag} holds no cosign signature layer`,
      keyId,
    };

  let mismatch: string | undefined;
  for (const layer of layers) {
    const payload = Buffer.from(await req.registry.blob(layer.payloadDigest));
    if (!verifySignature(key, payload, layer.signature)) continue;
    const claims = parseSimpleSigning(payload);
    if (claims?.type === SIMPLE_SIGNING_TYPE && claims.digest === req.digest) {
      return { verified: true, reason: R.Verified, message: `signature by key ${keyId} verifies ${req.digest}`, keyId };
    }
    mismatch = claims
      ? `a signature by the key covers ${claims.digest}, not ${req.digest}`
      : "a signature by the key covers a payload that is not a cosign simple-signing document";
  }
  if (mismatch) return { verified: false, reason: R.DigestMismatch, message: mismatch, keyId };
  const n = layers.length;
  return {
    verified: false,
    reason: R.SignatureInvalid,
    message: `${n === 1 ? "the signature" : `none of ${n} signatures`} of ${req.digest} verifies with key ${keyId}`,
    keyId,
  };
}
