// Reads what a tag points at in a plain-HTTP (loopback) registry, so driver fixtures pin images
// by the digest the registry holds on this machine, never by a constant.
import type { RegistryCredential } from "../plugins/driver.ts";

const ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/**
 * The manifest digest (`sha256:<hex>`) that `host/repo:tag` resolves to now, asked with HEAD over
 * plain HTTP; throws when the registry does not answer 200 with a Docker-Content-Digest.
 */
export async function registryDigest(ref: string, credential?: RegistryCredential): Promise<string> {
  const { host, repository, tag } = splitTagged(ref);
  const headers: Record<string, string> = { Accept: ACCEPT };
  if (credential)
    headers.Authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  const digest = res.headers.get("docker-content-digest");
  if (res.status !== 200 || !digest) throw new Error(`HEAD ${ref}: ${res.status} ${res.statusText}`);
  return digest;
}

/** `host/repo:tag` pinned to its current digest: `host/repo@sha256:<hex>`. */
export async function pinnedImage(ref: string, credential?: RegistryCredential): Promise<string> {
  const { host, repository } = splitTagged(ref);
  return `${host}/${repository}@${await registryDigest(ref, credential)}`;
}

function splitTagged(ref: string): { host: string; repository: string; tag: string } {
  const slash = ref.indexOf("/");
  const colon = ref.lastIndexOf(":");
  if (slash < 0 || colon < slash) throw new Error(`${ref}: expected host/repository:tag`);
  return { host: ref.slice(0, slash), repository: ref.slice(slash + 1, colon), tag: ref.slice(colon + 1) };
}
