// Reading registry answers: headers, the Docker-Content-Digest, and an error status turned into
// the typed error it means, with the registry's own error code in the message.
import { ManifestNotFound, RegistryError, Unauthorized } from "./errors.ts";
import type { ImageLocation } from "./reference.ts";
import type { HttpResponse } from "./transport.ts";

const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The first value of a response header. */
export function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A sha256 Docker-Content-Digest, or undefined (absent, or another algorithm: then the body decides). */
export function headerDigest(res: HttpResponse): string | undefined {
  const value = header(res, "docker-content-digest")?.trim();
  return value && SHA256_DIGEST.test(value) ? value : undefined;
}

// The registry's own error code and message from a JSON error body, when there is one.
function registryDetail(body: Buffer): string {
  try {
    const json = JSON.parse(body.toString("utf8")) as { errors?: { code?: string; message?: string }[] };
    const first = json.errors?.[0];
    return first ? `: ${[first.code, first.message].filter(Boolean).join(" ")}` : "";
  } catch {
    return "";
  }
}

/** The typed error of a failed answer; `what` names the object asked for (manifest, blob, upload). */
export function statusError(where: ImageLocation, res: HttpResponse, what = "manifest"): Error {
  const detail = registryDetail(res.body);
  const ref = `${where.name}${where.digest ? `@${where.digest}` : `:${where.reference}`}`;
  if (res.status === 404) return new ManifestNotFound(where, `${what} ${ref} not found${detail}`);
  if (res.status === 401 || res.status === 403)
    return new Unauthorized(where, `access to ${ref} denied (HTTP ${res.status})${detail}`);
  return new RegistryError(
    where,
    `HTTP ${res.status} for ${what === "manifest" ? "" : `${what} `}${ref}${detail}`,
    res.status,
  );
}
