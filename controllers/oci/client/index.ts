// The public API of the OCI distribution client, listed by hand.

export {
  RegistryClient,
  type Manifest,
  type RegistryClientOptions,
  type RequestOptions,
  type ResolvedImage,
} from "./client.ts";
export type { Credentials } from "./auth.ts";
export {
  InvalidReference,
  isTransient,
  ManifestNotFound,
  OciError,
  RegistryError,
  RegistryUnreachable,
  Unauthorized,
  type ImageCoordinates,
} from "./errors.ts";
export { isLoopback, parseReference, registryBaseUrl, type ImageLocation } from "./reference.ts";
export {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  isIndexMediaType,
  MANIFEST_ACCEPT,
  OCI_INDEX,
  OCI_MANIFEST,
  type ManifestMediaType,
} from "./media-types.ts";
