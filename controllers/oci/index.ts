// Access to OCI registries, shared by the release controller (resolving tags, verifying
// signatures) and the deployment controller (pulling with the release's credentials): the
// distribution client and the logins read from a release's pull Secrets. Public API listed by hand.
export {
  DOCKER_MANIFEST,
  InvalidReference,
  ManifestNotFound,
  OciError,
  parseReference,
  RegistryClient,
  RegistryError,
  RegistryUnreachable,
  Unauthorized,
  type Credentials,
} from "./client/index.ts";
export { loadPullCredentials, REGISTRY_ANNOTATION, type PullCredentials, type RegistryLogin } from "./pull-secrets.ts";
