// One authenticated exchange with a registry: the remembered Authorization header first, one
// answer to a 401 challenge, and transport failures mapped to the client's typed errors. Every
// registry call of the client (manifests, blobs, uploads) goes through here.
import { Authenticator, type Credentials, type Sender } from "./auth.ts";
import { parseChallenges } from "./challenge.ts";
import { RegistryError, RegistryUnreachable, Unauthorized } from "./errors.ts";
import type { ImageLocation } from "./reference.ts";
import { TransportError, type HttpMethod, type HttpResponse } from "./transport.ts";

/** One request to a registry, on behalf of an image location. */
export interface Exchange {
  method: HttpMethod;
  url: URL;
  headers?: Record<string, string>;
  body?: Buffer;
  maxBodyBytes: number;
  credentials?: Credentials;
}

/** Sends registry requests with authentication; holds only the remembered auth headers. */
export class RegistrySession {
  private readonly auth: Authenticator;

  constructor(
    private readonly sender: Sender,
    private readonly timeoutMs: number,
    private readonly userAgent: string,
  ) {
    this.auth = new Authenticator(sender, timeoutMs, userAgent);
  }

  /** Sends `ex`, answering a 401 challenge once (fresh header even when a cached one failed). */
  async send(where: ImageLocation, ex: Exchange): Promise<HttpResponse> {
    const cached = this.auth.cached(where, ex.credentials);
    let res = await this.once(where, ex, cached);
    if (res.status !== 401) return res;
    const authorization = await this.auth.authorize(parseChallenges(res.challenges), where, ex.credentials);
    res = await this.once(where, ex, authorization);
    if (res.status === 401) {
      this.auth.forget(where, ex.credentials);
      throw new Unauthorized(
        where,
        ex.credentials
          ? `the registry refused the credentials of user ${ex.credentials.username}`
          : "the registry requires credentials and none were given",
      );
    }
    return res;
  }

  /** Sends a request with no registry authentication at all (e.g. a blob redirect to storage). */
  async sendAnonymous(where: ImageLocation, ex: Exchange): Promise<HttpResponse> {
    return this.once(where, ex, undefined);
  }

  private async once(where: ImageLocation, ex: Exchange, authorization?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { "user-agent": this.userAgent, ...ex.headers };
    if (authorization) headers.authorization = authorization;
    try {
      return await this.sender({
        method: ex.method,
        url: ex.url,
        headers,
        body: ex.body,
        timeoutMs: this.timeoutMs,
        maxBodyBytes: ex.maxBodyBytes,
      });
    } catch (err) {
      if (err instanceof TransportError && err.failure === "unreachable") {
        throw new RegistryUnreachable(where, `registry unreachable: ${err.message}`, { cause: err });
      }
      throw new RegistryError(where, (err as Error).message, undefined, { cause: err });
    }
  }
}
