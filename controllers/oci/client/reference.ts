// Image references as the distribution API addresses them: which registry, which repository path
// inside it, and which tag or digest. Normalization follows docker: no registry host means Docker
// Hub, and a one-part Hub name lives under `library/`.
import { parseImageReference } from "../../../crds/image.ts";
import { InvalidReference } from "./errors.ts";

/** Docker Hub's name in references, and the host its API answers on. */
const DOCKER_HUB = "docker.io";
const DOCKER_HUB_API = "registry-1.docker.io";

/** An image reference split for the distribution API. */
export interface ImageLocation {
  /** The registry as written (`127.0.0.1:5000`, `ghcr.io`), or `docker.io` when none was. */
  registry: string;
  /** The repository path inside the registry, e.g. `shop/web` or `library/busybox`. */
  repository: string;
  /** The repository exactly as the reference wrote it; `name@digest` pins it in docker's form. */
  name: string;
  tag?: string;
  digest?: string;
  /** What the registry is asked for: the digest when pinned, else the tag (`latest` when none). */
  reference: string;
}

/** Splits an image reference; throws InvalidReference when it does not parse. */
export function parseReference(image: string): ImageLocation {
  const parsed = parseImageReference(image);
  if (!parsed) throw new InvalidReference(image);
  const { repository: name, tag, digest } = parsed;
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const hasHost = first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("[");
  const registry = hasHost ? first : DOCKER_HUB;
  let repository = hasHost ? name.slice(slash + 1) : name;
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  return {
    registry,
    repository,
    name,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    reference: digest ?? tag ?? "latest",
  };
}

/** The host part of `host[:port]`, without IPv6 brackets. */
function hostOf(registry: string): string {
  if (registry.startsWith("[")) return registry.slice(1, registry.indexOf("]"));
  const colon = registry.lastIndexOf(":");
  return colon < 0 ? registry : registry.slice(0, colon);
}

/** True for loopback hosts (localhost, 127.0.0.0/8, ::1), which docker also talks to over plain http. */
export function isLoopback(hostOrRegistry: string): boolean {
  const host = hostOf(hostOrRegistry).toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The API base URL of a registry: http for loopback registries, https for every other one. */
export function registryBaseUrl(registry: string): URL {
  const host = registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
  return new URL(`${isLoopback(host) ? "http" : "https"}://${host}/`);
}

/** The manifest URL of a location: `/v2/<repository>/manifests/<tag or digest>`. */
export function manifestUrl(location: ImageLocation): URL {
  return new URL(`/v2/${location.repository}/manifests/${location.reference}`, registryBaseUrl(location.registry));
}

/** The blob URL of a digest in a location's repository: `/v2/<repository>/blobs/<digest>`. */
export function blobUrl(location: ImageLocation, digest: string): URL {
  return new URL(`/v2/${location.repository}/blobs/${digest}`, registryBaseUrl(location.registry));
}

/** The URL that starts a blob upload in a location's repository: `/v2/<repository>/blobs/uploads/`. */
export function uploadUrl(location: ImageLocation): URL {
  return new URL(`/v2/${location.repository}/blobs/uploads/`, registryBaseUrl(location.registry));
}
