// The manifest media types a release may resolve to. Docker schema1 is refused: its digest is not
// stable (it is signed per pull), so it cannot identify a release.

/** An OCI image index: a multi-platform image; it resolves to the index's own digest. */
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
/** An OCI image manifest: one platform's config and layers. */
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
/** Docker's multi-platform manifest list (schema 2). */
export const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
/** Docker's single-platform manifest (schema 2). */
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

/** Every media type the client accepts, indexes first. */
export const MANIFEST_MEDIA_TYPES = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST] as const;

/** One of the accepted manifest media types. */
export type ManifestMediaType = (typeof MANIFEST_MEDIA_TYPES)[number];

/** The Accept header of every manifest request. */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(", ");

/** True for an accepted manifest media type. */
export function isManifestMediaType(value: string | undefined): value is ManifestMediaType {
  return (MANIFEST_MEDIA_TYPES as readonly string[]).includes(value ?? "");
}

/** True for the multi-platform kinds (OCI index, Docker manifest list). */
export function isIndexMediaType(value: string): boolean {
  return value === OCI_INDEX || value === DOCKER_MANIFEST_LIST;
}

/**
 * The media type of a manifest: the Content-Type when it is an accepted one, else the body's own
 * `mediaType` field, else (OCI allows omitting it) inferred from the shape: `manifests` for an
 * index, `config` for an image manifest. Undefined when none of these applies.
 */
export function manifestMediaType(contentType: string | undefined, body?: Buffer): ManifestMediaType | undefined {
  const declared = contentType?.split(";")[0].trim().toLowerCase();
  if (isManifestMediaType(declared)) return declared;
  if (!body) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const json = parsed as { mediaType?: unknown; schemaVersion?: unknown; manifests?: unknown; config?: unknown };
  if (typeof json.mediaType === "string") return isManifestMediaType(json.mediaType) ? json.mediaType : undefined;
  if (json.schemaVersion !== 2) return undefined;
  if (Array.isArray(json.manifests)) return OCI_INDEX;
  if (typeof json.config === "object" && json.config !== null) return OCI_MANIFEST;
  return undefined;
}
