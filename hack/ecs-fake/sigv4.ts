// SigV4 verification in the ECS contract fake: the fake rebuilds the canonical request from what
// it received, signs it with the secret key of the access key the Authorization header names, and
// compares. Steps as AWS documents them (canonical request, string to sign, signing key, signature):
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// Only what the ECS JSON 1.1 protocol sends is handled: POST to `/`, no query string.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** An access key the fake accepts. */
export interface FakeCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Why a request is refused, as ECS names it (`__type`), or undefined when the signature holds. */
export type SignatureFault = { type: "UnrecognizedClientException" | "InvalidSignatureException"; message: string };

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** Verifies the request's SigV4 Authorization header against `creds`. */
export function verifySignature(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  creds: FakeCredentials,
): SignatureFault | undefined {
  const auth = headers.authorization ?? "";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return { type: "InvalidSignatureException", message: "Authorization header is not a SigV4 signature" };
  const [, keyId, date, region, service, signedHeaders, signature] = m;
  if (keyId !== creds.accessKeyId) {
    return { type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  }
  const amzDate = String(headers["x-amz-date"] ?? "");
  const canonicalHeaders = signedHeaders
    .split(";")
    .map((h) => `${h}:${headerValue(headers[h])}\n`)
    .join("");
  const canonicalRequest = [method, path, "", canonicalHeaders, signedHeaders, sha256(body)].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key = hmac(`AWS4${creds.secretAccessKey}`, date);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  const expected = Buffer.from(hmac(key, stringToSign).toString("hex"));
  if (!timingSafeEqual(expected, Buffer.from(signature))) {
    return {
      type: "InvalidSignatureException",
      message: "The request signature we calculated does not match the signature you provided.",
    };
  }
  return undefined;
}

const headerValue = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ");
