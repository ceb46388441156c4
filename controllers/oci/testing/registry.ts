// A tiny distribution-API registry for tests, on 127.0.0.1: manifests held in memory, optional
// basic auth or the bearer-token flow (with its own token endpoint), and switches that make it
// misbehave the way real registries and proxies do. Every request is recorded.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Authentication the fake demands. */
export type FakeAuth =
  | { kind: "basic"; username: string; password: string }
  /** Token flow; with username/password the token endpoint demands them, without it is anonymous. */
  | { kind: "bearer"; username?: string; password?: string; expiresIn?: number };

/** Behaviour switches; change them between requests through `registry.options`. */
export interface FakeRegistryOptions {
  auth?: FakeAuth;
  /** Leave out Docker-Content-Digest (some proxies and old registries do). */
  omitDigestHeader?: boolean;
  /** Send this Docker-Content-Digest instead of the true one. */
  digestHeader?: string;
  /** Answer HEAD with this status and no headers (e.g. 405 where HEAD is not supported). */
  headStatus?: number;
  /** Answer every manifest request with this status and a registry error body. */
  failStatus?: number;
  /** Answer manifest requests with this Content-Type instead of the stored media type. */
  contentType?: string;
  /** Accept connections but never answer. */
  hang?: boolean;
  /**
   * Answer blob GETs with a redirect to this base URL (plus the blob path), as registries backed by object storage do.
   */
  blobRedirect?: string;
  /** Serve this body for every blob instead of the stored one. */
  blobBody?: string;
}

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  accept?: string;
  authorization?: string;
}

const ERROR = (code: string, message: string): string => JSON.stringify({ errors: [{ code, message }] });

/** The fake registry server. */
export class FakeRegistry {
  /** Every manifest (and other non-token) request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Every token-endpoint request, with the scope and service it asked for. */
  readonly tokenRequests: (RecordedRequest & { scope?: string; service?: string })[] = [];
  private readonly repos = new Map<
    string,
    { tags: Map<string, string>; blobs: Map<string, { body: Buffer; mediaType: string }> }
  >();
  private readonly tokens = new Map<string, string>(); // token -> scope
  private issued = 0;
  private readonly server: http.Server;

  /** @param options the behaviour switches; tests may replace them between requests. */
  private constructor(public options: FakeRegistryOptions) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Starts a fake on a free loopback port. */
  static async start(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
    const fake = new FakeRegistry(options);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** `127.0.0.1:<port>`, the registry part of image references. */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stores a manifest under its digest and the given tags; returns the digest. */
  putManifest(repository: string, tags: string[], manifest: object | string, mediaType: string): string {
    const body = Buffer.from(typeof manifest === "string" ? manifest : JSON.stringify(manifest));
    const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    const repo = this.repos.get(repository) ?? { tags: new Map(), blobs: new Map() };
    this.repos.set(repository, repo);
    repo.blobs.set(digest, { body, mediaType });
    for (const tag of tags) repo.tags.set(tag, digest);
    return digest;
  }

  /** Stores a blob in a repository; returns its digest. */
  putBlob(repository: string, body: Buffer | string): string {
    const bytes = Buffer.from(body);
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    const repo = this.repos.get(repository) ?? { tags: new Map(), blobs: new Map() };
    this.repos.set(repository, repo);
    repo.blobs.set(digest, { body: bytes, mediaType: "application/octet-stream" });
    return digest;
  }

  /** Forgets every token issued, as if they had expired on the server side. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://fake");
    const record: RecordedRequest = {
      method: req.method ?? "",
      path: url.pathname,
      accept: req.headers.accept,
      authorization: req.headers.authorization,
    };
    if (this.options.hang) return;
    if (url.pathname === "/token") {
      this.tokenRequests.push({
        ...record,
        scope: url.searchParams.get("scope") ?? undefined,
        service: url.searchParams.get("service") ?? undefined,
      });
      return this.token(req, res, url.searchParams.get("scope") ?? "");
    }
    this.requests.push(record);
    const blobPath = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (blobPath) return this.blob(req, res, blobPath[1], blobPath[2]);
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (!match) return this.send(res, 404, ERROR("NAME_UNKNOWN", "not found"));
    const [, repository, reference] = match;
    if (!this.authorized(req, repository)) return this.challenge(res, repository);
    if (this.options.failStatus) return this.send(res, this.options.failStatus, ERROR("UNKNOWN", "injected failure"));
    if (req.method === "HEAD" && this.options.headStatus) return this.send(res, this.options.headStatus, "");
    const repo = this.repos.get(repository);
    if (!repo) return this.send(res, 404, ERROR("NAME_UNKNOWN", "repository name not known to registry"));
    const digest = reference.startsWith("sha256:") ? reference : repo.tags.get(reference);
    const blob = digest ? repo.blobs.get(digest) : undefined;
    if (!digest || !blob) return this.send(res, 404, ERROR("MANIFEST_UNKNOWN", "manifest unknown"));
    const headers: Record<string, string> = {
      "content-type": this.options.contentType ?? blob.mediaType,
      "content-length": String(blob.body.length),
    };
    if (!this.options.omitDigestHeader) headers["docker-content-digest"] = this.options.digestHeader ?? digest;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : blob.body);
  }

  private blob(req: http.IncomingMessage, res: http.ServerResponse, repository: string, digest: string): void {
    if (!this.authorized(req, repository)) return this.challenge(res, repository);
    if (this.options.blobRedirect) {
      res.writeHead(307, { location: `${this.options.blobRedirect}/v2/${repository}/blobs/${digest}` });
      return void res.end();
    }
    const stored = this.repos.get(repository)?.blobs.get(digest);
    if (!stored) return this.send(res, 404, ERROR("BLOB_UNKNOWN", "blob unknown to registry"));
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(this.options.blobBody ?? stored.body);
  }

  private authorized(req: http.IncomingMessage, repository: string): boolean {
    const auth = this.options.auth;
    const given = req.headers.authorization ?? "";
    if (!auth) return true;
    if (auth.kind === "basic") return given === basic(auth.username, auth.password);
    return given.startsWith("Bearer ") && this.tokens.get(given.slice(7)) === `repository:${repository}:pull`;
  }

  private challenge(res: http.ServerResponse, repository: string): void {
    const auth = this.options.auth;
    const header =
      auth?.kind === "bearer"
        ? `Bearer realm="http://${this.host}/token",service="fake-registry",scope="repository:${repository}:pull"`
        : `Basic realm="fake-registry"`;
    res.setHeader("www-authenticate", header);
    this.send(res, 401, ERROR("UNAUTHORIZED", "authentication required"));
  }

  private token(req: http.IncomingMessage, res: http.ServerResponse, scope: string): void {
    const auth = this.options.auth;
    if (auth?.kind !== "bearer") return this.send(res, 404, "");
    if (auth.username !== undefined && req.headers.authorization !== basic(auth.username, auth.password ?? "")) {
      return this.send(res, 401, ERROR("UNAUTHORIZED", "bad credentials"));
    }
    const token = `token-${++this.issued}`;
    this.tokens.set(token, scope);
    this.send(res, 200, JSON.stringify({ token, expires_in: auth.expiresIn ?? 300 }));
  }

  private send(res: http.ServerResponse, status: number, body: string): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  }
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}
