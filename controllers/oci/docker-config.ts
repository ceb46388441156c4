// `.dockerconfigjson` (docker's ~/.docker/config.json) as image pull Secrets carry it:
//   {"auths": {"registry.example:5000": {"username": "...", "password": "..."} | {"auth": base64("user:pass")}}}
// Keys may be written as URLs (`https://index.docker.io/v1/`); they are matched by host.
// Problems are described without ever quoting a value.
import type { Credentials } from "./client/index.ts";

/** One registry login of a docker config. */
export interface DockerLogin {
  /** The registry host as image references name it (`docker.io` for Docker Hub). */
  registry: string;
  credentials: Credentials;
}

const DOCKER_HUB_ALIASES = new Set(["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);

/** The registry host a config key or image reference names: no scheme, no path, Docker Hub as `docker.io`. */
export function normalizeRegistry(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z]+:\/\//i, "")
    .split("/")[0]
    .toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? "docker.io" : host;
}

/** The logins of a docker config, or a problem (naming the entry, never a value). */
export function parseDockerConfig(text: string): DockerLogin[] | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: "is not valid JSON" };
  }
  const auths = (json as { auths?: unknown } | null)?.auths;
  if (typeof auths !== "object" || auths === null || Array.isArray(auths)) return { problem: "has no auths object" };
  const logins: DockerLogin[] = [];
  for (const [key, entry] of Object.entries(auths as Record<string, unknown>)) {
    const credentials = entryCredentials(entry);
    if (!credentials)
      return {
        problem: `auths[${JSON.stringify(key)}] has neither username and password nor auth (base64 of username:password)`,
      };
    logins.push({ registry: normalizeRegistry(key), credentials });
  }
  return logins;
}

function entryCredentials(entry: unknown): Credentials | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const { username, password, auth } = entry as Record<string, unknown>;
  if (typeof username === "string" && username && typeof password === "string") return { username, password };
  if (typeof auth !== "string" || !/^[A-Za-z0-9+/]+=*$/.test(auth)) return undefined;
  const decoded = Buffer.from(auth, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon > 0 ? { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : undefined;
}
