// Registry authentication. A 401 carries challenges; Basic is answered with the credentials, Bearer
// with a token fetched from the realm the registry names (the docker token flow, scope
// `repository:<repo>:pull`, credentials sent to the realm as basic auth, anonymous without them).
// The Authorization header is remembered per registry, repository and credentials until it
// expires, so later requests skip the 401 round trip.
import { createHash } from "node:crypto";
import type { Challenge } from "./challenge.ts";
import { RegistryError, RegistryUnreachable, Unauthorized } from "./errors.ts";
import { isLoopback, type ImageLocation } from "./reference.ts";
import { TransportError, type HttpRequest, type HttpResponse } from "./transport.ts";

/** Registry credentials, as a Secret holds them. */
export interface Credentials {
  username: string;
  password: string;
}

/** Sends one HTTP request (transport.send, or a stand-in). */
export type Sender = (request: HttpRequest) => Promise<HttpResponse>;

const DEFAULT_TOKEN_SECONDS = 60; // the token spec's default when expires_in is absent
const MAX_TOKEN_BODY = 1 << 20;

/** Turns challenges into Authorization headers and remembers them. */
export class Authenticator {
  private readonly cache = new Map<string, { authorization: string; expiresAt: number }>();

  constructor(
    private readonly sender: Sender,
    private readonly timeoutMs: number,
    private readonly userAgent: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The remembered, unexpired Authorization header for this repository and credentials. */
  cached(where: ImageLocation, credentials?: Credentials): string | undefined {
    const entry = this.cache.get(cacheKey(where, credentials));
    return entry && entry.expiresAt > this.now() ? entry.authorization : undefined;
  }

  /** Forgets the remembered header, e.g. after the registry refused it. */
  forget(where: ImageLocation, credentials?: Credentials): void {
    this.cache.delete(cacheKey(where, credentials));
  }

  /** The Authorization header answering the challenges; throws Unauthorized, RegistryUnreachable or RegistryError. */
  async authorize(challenges: Challenge[], where: ImageLocation, credentials?: Credentials): Promise<string> {
    const bearer = challenges.find((c) => c.scheme === "bearer");
    const basic = challenges.find((c) => c.scheme === "basic");
    let authorization: string;
    let lifetimeMs = Number.POSITIVE_INFINITY;
    if (bearer) {
      const token = await this.fetchToken(bearer, where, credentials);
      authorization = `Bearer ${token.token}`;
      lifetimeMs = token.seconds * 900; // renew at 90% of the lifetime
    } else if (basic) {
      if (!credentials) throw new Unauthorized(where, "the registry requires basic auth and no credentials were given");
      authorization = basicAuthorization(credentials);
    } else {
      throw new Unauthorized(where, "the registry answered 401 without a Basic or Bearer challenge");
    }
    this.cache.set(cacheKey(where, credentials), { authorization, expiresAt: this.now() + lifetimeMs });
    return authorization;
  }

  private async fetchToken(
    challenge: Challenge,
    where: ImageLocation,
    credentials?: Credentials,
  ): Promise<{ token: string; seconds: number }> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? "");
    } catch {
      throw new RegistryError(
        where,
        `bearer challenge with an unusable realm ${JSON.stringify(challenge.params.realm ?? "")}`,
      );
    }
    if (realm.protocol !== "https:" && !(realm.protocol === "http:" && isLoopback(realm.host))) {
      throw new RegistryError(where, `refusing token realm ${realm.origin}: only https, or http on loopback`);
    }
    if (challenge.params.service) realm.searchParams.set("service", challenge.params.service);
    realm.searchParams.set("scope", challenge.params.scope ?? `repository:${where.repository}:pull`);
    const headers: Record<string, string> = { accept: "application/json", "user-agent": this.userAgent };
    if (credentials) headers.authorization = basicAuthorization(credentials);
    let res: HttpResponse;
    try {
      res = await this.sender({
        method: "GET",
        url: realm,
        headers,
        timeoutMs: this.timeoutMs,
        maxBodyBytes: MAX_TOKEN_BODY,
      });
    } catch (err) {
      if (err instanceof TransportError && err.failure === "unreachable") {
        throw new RegistryUnreachable(where, `token server ${realm.host} unreachable: ${err.message}`, { cause: err });
      }
      throw new RegistryError(where, `token server ${realm.host}: ${(err as Error).message}`, undefined, {
        cause: err,
      });
    }
    if (res.status === 401 || res.status === 403) {
      throw new Unauthorized(
        where,
        credentials
          ? `token server ${realm.host} refused the credentials of user ${credentials.username} (HTTP ${res.status})`
          : `token server ${realm.host} requires credentials and none were given (HTTP ${res.status})`,
      );
    }
    if (res.status !== 200)
      throw new RegistryError(where, `token server ${realm.host} answered HTTP ${res.status}`, res.status);
    return parseToken(res.body, where, realm.host);
  }
}

function parseToken(body: Buffer, where: ImageLocation, host: string): { token: string; seconds: number } {
  let json: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    json = JSON.parse(body.toString("utf8")) as typeof json;
  } catch {
    throw new RegistryError(where, `token server ${host} answered with a body that is not JSON`);
  }
  const token = typeof json.token === "string" && json.token ? json.token : json.access_token;
  if (typeof token !== "string" || !token)
    throw new RegistryError(where, `token server ${host} answered without a token`);
  const seconds = typeof json.expires_in === "number" && json.expires_in > 0 ? json.expires_in : DEFAULT_TOKEN_SECONDS;
  return { token, seconds };
}

function basicAuthorization({ username, password }: Credentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

// Keyed by a hash of the credentials, so a rotated password never reuses the old header.
function cacheKey(where: ImageLocation, credentials?: Credentials): string {
  const who = credentials
    ? createHash("sha256").update(`${credentials.username}\0${credentials.password}`).digest("hex")
    : "";
  return `${where.registry}\0${where.repository}\0${who}`;
}
