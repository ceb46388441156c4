// The OCI distribution client: resolves an image reference to the digest of what the registry
// serves for it (HEAD first, GET when the digest header is missing or HEAD is not usable), and
// fetches manifests. A multi-platform image resolves to the digest of its index or list, never of
// one platform's manifest: the release pins exactly what the tag named.
import { createHash } from "node:crypto";
import { pinnedReference } from "../../../crds/image.ts";
import { Authenticator, type Credentials, type Sender } from "./auth.ts";
import { parseChallenges } from "./challenge.ts";
import { ManifestNotFound, RegistryError, RegistryUnreachable, Unauthorized } from "./errors.ts";
import { MANIFEST_ACCEPT, manifestMediaType, type ManifestMediaType } from "./media-types.ts";
import { manifestUrl, parseReference, type ImageLocation } from "./reference.ts";
import { send, TransportError, type HttpResponse } from "./transport.ts";

/** How the client talks to registries. */
export interface RegistryClientOptions {
  /** Bound on each HTTP exchange (token requests included); default 10 s. */
  timeoutMs?: number;
  userAgent?: string;
  /** Replaces the HTTP transport (tests). */
  sender?: Sender;
}

/** Per-call options. */
export interface RequestOptions {
  /** Credentials for basic auth or the bearer-token flow; anonymous when absent. */
  credentials?: Credentials;
}

/** What a reference resolved to. */
export interface ResolvedImage extends Omit<ImageLocation, "digest"> {
  /** The digest of the manifest (or index) the registry serves for the reference. */
  digest: string;
  mediaType: ManifestMediaType;
  /** The pinned form `name@digest`, in docker's RepoDigests form. */
  pinned: string;
}

/** A manifest exactly as the registry served it. */
export interface Manifest {
  digest: string;
  mediaType: ManifestMediaType;
  body: Buffer;
}

const MAX_MANIFEST_BYTES = 4 << 20; // the OCI distribution spec's manifest size limit
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A stateless-per-call registry client; it only remembers auth headers between calls. */
export class RegistryClient {
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly sender: Sender;
  private readonly auth: Authenticator;

  constructor(options: RegistryClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.userAgent = options.userAgent ?? "stella-release-controller";
    this.sender = options.sender ?? send;
    this.auth = new Authenticator(this.sender, this.timeoutMs, this.userAgent);
  }

  /** Resolves a tag (or checks a digest) to the digest the registry serves for it. */
  async resolve(image: string, options: RequestOptions = {}): Promise<ResolvedImage> {
    const where = parseReference(image);
    const head = await this.request("HEAD", where, options.credentials);
    if (head.status === 200) {
      const digest = headerDigest(head);
      const mediaType = manifestMediaType(header(head, "content-type"));
      if (digest && mediaType) {
        if (where.digest && digest !== where.digest) {
          throw new RegistryError(where, `the registry serves digest ${digest} for ${where.digest}`);
        }
        return resolved(where, digest, mediaType);
      }
    } else {
      // Only a definite answer ends it here; anything else gets a GET, which maps its own status.
      if (head.status === 404 || head.status === 401 || head.status === 403) throw statusError(where, head);
    }
    const manifest = await this.fetch(where, options.credentials);
    return resolved(where, manifest.digest, manifest.mediaType);
  }

  /** The manifest (or index) for a reference, its digest verified against the body. */
  async getManifest(image: string, options: RequestOptions = {}): Promise<Manifest> {
    return this.fetch(parseReference(image), options.credentials);
  }

  private async fetch(where: ImageLocation, credentials?: Credentials): Promise<Manifest> {
    const res = await this.request("GET", where, credentials);
    if (res.status !== 200) throw statusError(where, res);
    const digest = `sha256:${createHash("sha256").update(res.body).digest("hex")}`;
    const claimed = headerDigest(res);
    if (claimed && claimed !== digest) throw new RegistryError(where, `Docker-Content-Digest ${claimed} does not match the body's ${digest}`);
    if (where.digest && where.digest !== digest) throw new RegistryError(where, `the body's digest ${digest} does not match ${where.digest}`);
    const mediaType = manifestMediaType(header(res, "content-type"), res.body);
    if (!mediaType) {
      throw new RegistryError(where, `unsupported manifest media type ${JSON.stringify(header(res, "content-type") ?? "")}; want an OCI or Docker schema 2 manifest or index`);
    }
    return { digest, mediaType, body: res.body };
  }

  // One manifest request, answering a 401 challenge once (with a fresh header even when a cached one failed).
  private async request(method: "GET" | "HEAD", where: ImageLocation, credentials?: Credentials): Promise<HttpResponse> {
    const cached = this.auth.cached(where, credentials);
    let res = await this.exchange(method, where, cached);
    if (res.status !== 401) return res;
    const authorization = await this.auth.authorize(parseChallenges(res.challenges), where, credentials);
    res = await this.exchange(method, where, authorization);
    if (res.status === 401) {
      this.auth.forget(where, credentials);
      throw new Unauthorized(
        where,
        credentials ? `the registry refused the credentials of user ${credentials.username}` : "the registry requires credentials and none were given",
      );
    }
    return res;
  }

  private async exchange(method: "GET" | "HEAD", where: ImageLocation, authorization?: string): Promise<HttpResponse> {
    const url = manifestUrl(where);
    const headers: Record<string, string> = { accept: MANIFEST_ACCEPT, "user-agent": this.userAgent };
    if (authorization) headers.authorization = authorization;
    try {
      return await this.sender({ method, url, headers, timeoutMs: this.timeoutMs, maxBodyBytes: MAX_MANIFEST_BYTES });
    } catch (err) {
      if (err instanceof TransportError && err.failure === "unreachable") {
        throw new RegistryUnreachable(where, `registry unreachable: ${err.message}`, { cause: err });
      }
      throw new RegistryError(where, (err as Error).message, undefined, { cause: err });
    }
  }
}

function resolved(where: ImageLocation, digest: string, mediaType: ManifestMediaType): ResolvedImage {
  return { ...where, digest, mediaType, pinned: pinnedReference(where.name, digest) };
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// A sha256 Docker-Content-Digest, or undefined (absent, or another algorithm: then the body decides).
function headerDigest(res: HttpResponse): string | undefined {
  const value = header(res, "docker-content-digest")?.trim();
  return value && SHA256_DIGEST.test(value) ? value : undefined;
}

// The registry's own error code and message from a JSON error body, when there is one.
function registryDetail(body: Buffer): string {
  try {
    const json = JSON.parse(body.toString("utf8")) as { errors?: { code?: string; message?: string }[] };
    const first = json.errors?.[0];
    return first ? `: ${[first.code, first.message].filter(Boolean).join(" ")}` : "";
  } catch {
    return "";
  }
}

function statusError(where: ImageLocation, res: HttpResponse): Error {
  const detail = registryDetail(res.body);
  const what = `${where.name}${where.digest ? `@${where.digest}` : `:${where.reference}`}`;
  if (res.status === 404) return new ManifestNotFound(where, `manifest ${what} not found${detail}`);
  if (res.status === 401 || res.status === 403) return new Unauthorized(where, `access to ${what} denied (HTTP ${res.status})${detail}`);
  return new RegistryError(where, `HTTP ${res.status} for ${what}${detail}`, res.status);
}
