// Registry credentials from the Secrets a Release names in spec.imagePullSecrets, read through the
// sdk client (the controller role may read Secrets). Two types are understood:
//   kubernetes.io/basic-auth        data.username, data.password; for every registry, or only
//                                   those listed (comma-separated) in annotation stella.io/registry
//   kubernetes.io/dockerconfigjson  data[".dockerconfigjson"]: docker's config with per-registry auths
// The first Secret (in spec order) with a login for a registry wins. A Secret that is missing or
// malformed is a problem, not an error: it matters only if a registry then refuses access.
// Values never leave this file except as Credentials handed to the registry client.
import { isForbidden, isNotFound } from "../../crds/errors.ts";
import type { LocalObjectReference } from "../../crds/meta.ts";
import { SecretTypes, type Secret } from "../../crds/secret.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { normalizeRegistry, parseDockerConfig } from "./docker-config.ts";
import type { Credentials } from "./client/index.ts";

/** The annotation that limits a basic-auth Secret to some registries. */
export const REGISTRY_ANNOTATION = "stella.io/registry";

/** Why a referenced Secret gave no logins. */
export interface PullSecretProblem {
  secret: string;
  reason: "PullSecretNotFound" | "PullSecretUnreadable" | "InvalidPullSecret";
  message: string;
}

/** Credentials for one registry and the Secret they came from. */
export interface RegistryLogin {
  credentials: Credentials;
  secret: string;
}

interface Entry extends RegistryLogin {
  /** Registries the login is for; undefined means every registry. */
  registries?: string[];
}

/** The logins of a release's pull Secrets. */
export class PullCredentials {
  constructor(
    private readonly entries: readonly Entry[],
    /** Secrets that could not be used, in spec order. */
    readonly problems: readonly PullSecretProblem[],
  ) {}

  /** No Secrets at all. */
  static readonly none = new PullCredentials([], []);

  /** The login for `registry` (as an image reference names it), if any Secret has one. */
  for(registry: string): RegistryLogin | undefined {
    const host = normalizeRegistry(registry);
    const entry = this.entries.find((e) => !e.registries || e.registries.includes(host));
    return entry && { credentials: entry.credentials, secret: entry.secret };
  }
}

/** Reads the Secrets `refs` names in `namespace`; API failures other than not-found or forbidden throw. */
export async function loadPullCredentials(
  secrets: Pick<ResourceClient<Secret>, "get">,
  namespace: string,
  refs: readonly LocalObjectReference[],
): Promise<PullCredentials> {
  const entries: Entry[] = [];
  const problems: PullSecretProblem[] = [];
  for (const { name } of refs) {
    let secret: Secret;
    try {
      secret = await secrets.get(name, { namespace });
    } catch (err) {
      if (isNotFound(err))
        problems.push({ secret: name, reason: "PullSecretNotFound", message: `Secret ${name} not found` });
      else if (isForbidden(err))
        problems.push({
          secret: name,
          reason: "PullSecretUnreadable",
          message: `Secret ${name} may not be read by the release controller`,
        });
      else throw err;
      continue;
    }
    const read = secretEntries(secret, name);
    if ("problem" in read)
      problems.push({ secret: name, reason: "InvalidPullSecret", message: `Secret ${name} ${read.problem}` });
    else entries.push(...read);
  }
  return new PullCredentials(entries, problems);
}

function secretEntries(secret: Secret, name: string): Entry[] | { problem: string } {
  const value = (key: string): string | undefined => {
    const b64 = secret.data?.[key];
    return b64 === undefined ? undefined : Buffer.from(b64, "base64").toString("utf8");
  };
  if (secret.type === SecretTypes.BasicAuth) {
    const username = value("username");
    const password = value("password");
    if (!username || password === undefined)
      return { problem: "of type kubernetes.io/basic-auth needs the keys username and password" };
    const scope = secret.metadata.annotations?.[REGISTRY_ANNOTATION];
    const registries = scope
      ?.split(",")
      .map((r) => normalizeRegistry(r))
      .filter(Boolean);
    return [{ secret: name, credentials: { username, password }, ...(registries?.length ? { registries } : {}) }];
  }
  if (secret.type === SecretTypes.DockerConfigJson) {
    const text = value(".dockerconfigjson");
    if (text === undefined) return { problem: "of type kubernetes.io/dockerconfigjson has no key .dockerconfigjson" };
    const logins = parseDockerConfig(text);
    if ("problem" in logins) return { problem: `key .dockerconfigjson ${logins.problem}` };
    return logins.map((l) => ({ secret: name, credentials: l.credentials, registries: [l.registry] }));
  }
  return {
    problem: `has type ${secret.type ?? "Opaque"}; want kubernetes.io/basic-auth or kubernetes.io/dockerconfigjson`,
  };
}
