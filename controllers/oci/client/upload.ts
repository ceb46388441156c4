// Pushing to a registry (distribution spec "push"): a blob by POST-then-PUT upload, skipped when
// the repository has it already, and a manifest by PUT under a tag or its digest.
import { createHash } from "node:crypto";
import type { Credentials } from "./auth.ts";
import { RegistryError } from "./errors.ts";
import { blobUrl, manifestUrl, uploadUrl, type ImageLocation } from "./reference.ts";
import { header, headerDigest, statusError } from "./responses.ts";
import type { RegistrySession } from "./session.ts";

const MAX_ANSWER_BYTES = 1 << 20;

const sha256 = (body: Buffer): string => `sha256:${createHash("sha256").update(body).digest("hex")}`;

/** Uploads `body` as a blob of `where`'s repository; resolves with its digest. */
export async function pushBlob(
  session: RegistrySession,
  repository: ImageLocation,
  body: Buffer,
  credentials?: Credentials,
): Promise<string> {
  const digest = sha256(body);
  const where: ImageLocation = { ...repository, digest, reference: digest }; // errors name the blob, not a tag
  const exists = await session.send(where, {
    method: "HEAD",
    url: blobUrl(where, digest),
    maxBodyBytes: MAX_ANSWER_BYTES,
    credentials,
  });
  if (exists.status === 200) return digest;
  const start = await session.send(where, {
    method: "POST",
    url: uploadUrl(where),
    body: Buffer.alloc(0),
    maxBodyBytes: MAX_ANSWER_BYTES,
    credentials,
  });
  if (start.status !== 202) throw statusError(where, start, "blob upload");
  const location = header(start, "location");
  if (!location) throw new RegistryError(where, "blob upload started without a Location");
  const url = new URL(location, uploadUrl(where));
  url.searchParams.set("digest", digest);
  const headers = { "content-type": "application/octet-stream" };
  const done = await session.send(where, {
    method: "PUT",
    url,
    headers,
    body,
    maxBodyBytes: MAX_ANSWER_BYTES,
    credentials,
  });
  if (done.status !== 201) throw statusError(where, done, "blob upload");
  return digest;
}

/** Puts `body` as a manifest at `where` (its tag or digest); resolves with the manifest's digest. */
export async function pushManifest(
  session: RegistrySession,
  where: ImageLocation,
  body: Buffer,
  mediaType: string,
  credentials?: Credentials,
): Promise<string> {
  const digest = sha256(body);
  const res = await session.send(where, {
    method: "PUT",
    url: manifestUrl(where),
    headers: { "content-type": mediaType },
    body,
    maxBodyBytes: MAX_ANSWER_BYTES,
    credentials,
  });
  if (res.status !== 201) throw statusError(where, res, "manifest upload");
  const claimed = headerDigest(res);
  if (claimed && claimed !== digest)
    throw new RegistryError(where, `the registry stored the manifest as ${claimed}, not ${digest}`);
  return digest;
}
