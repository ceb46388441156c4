// The OCI distribution client: resolves an image reference to the digest of what the registry
// serves for it (HEAD first, GET when the digest header is missing or HEAD is not usable), fetches
// manifests and blobs, and pushes them (signature artifacts). A multi-platform image resolves to
// the digest of its index or list, never of one platform's manifest: the release pins exactly what
// the tag named.
import { createHash } from "node:crypto";
import { pinnedReference } from "../../../crds/image.ts";
import type { Credentials, Sender } from "./auth.ts";
import { RegistryError } from "./errors.ts";
import { MANIFEST_ACCEPT, manifestMediaType, type ManifestMediaType } from "./media-types.ts";
import { blobUrl, manifestUrl, parseReference, type ImageLocation } from "./reference.ts";
import { header, headerDigest, statusError } from "./responses.ts";
import { RegistrySession } from "./session.ts";
import { send, type HttpResponse } from "./transport.ts";
import { pushBlob, pushManifest } from "./upload.ts";

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
const MAX_BLOB_BYTES = 4 << 20; // blobs the controller reads are small JSON (signature payloads)
const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** A stateless-per-call registry client; it only remembers auth headers between calls. */
export class RegistryClient {
  private readonly session: RegistrySession;

  constructor(options: RegistryClientOptions = {}) {
    this.session = new RegistrySession(
      options.sender ?? send,
      options.timeoutMs ?? 10_000,
      options.userAgent ?? "stella-release-controller",
    );
  }

  /** Resolves a tag (or checks a digest) to the digest the registry serves for it. */
  async resolve(image: string, options: RequestOptions = {}): Promise<ResolvedImage> {
    const where = parseReference(image);
    const head = await this.manifestRequest("HEAD", where, options.credentials);
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

  /**
   * The blob `digest` of the repository `name` (e.g. `127.0.0.1:5000/shop/web`), verified against
   * its digest; follows up to three redirects to blob storage (without registry credentials when
   * they leave the registry). A missing blob is ManifestNotFound.
   */
  async getBlob(name: string, digest: string, options: RequestOptions & { maxBytes?: number } = {}): Promise<Buffer> {
    const where = parseReference(`${name}@${digest}`);
    const maxBodyBytes = options.maxBytes ?? MAX_BLOB_BYTES;
    let url = blobUrl(where, digest);
    let res = await this.session.send(where, { method: "GET", url, maxBodyBytes, credentials: options.credentials });
    for (let hops = 0; REDIRECT.has(res.status) && hops < 3; hops++) {
      const next = new URL(header(res, "location") ?? "", url);
      const exchange = { method: "GET" as const, url: next, maxBodyBytes, credentials: options.credentials };
      res =
        next.origin === url.origin
          ? await this.session.send(where, exchange)
          : await this.session.sendAnonymous(where, exchange);
      url = next;
    }
    if (res.status !== 200) throw statusError(where, res, "blob");
    const actual = `sha256:${createHash("sha256").update(res.body).digest("hex")}`;
    if (actual !== digest) throw new RegistryError(where, `blob body has digest ${actual}, not ${digest}`);
    return res.body;
  }

  /** Uploads a blob to the repository `name` unless it is there already; resolves with its digest. */
  pushBlob(name: string, body: Buffer, options: RequestOptions = {}): Promise<string> {
    return pushBlob(this.session, parseReference(name), body, options.credentials);
  }

  /** Puts a manifest at `image` (`name:tag`, or `name@digest`); resolves with the manifest's digest. */
  pushManifest(image: string, body: Buffer, mediaType: string, options: RequestOptions = {}): Promise<string> {
    return pushManifest(this.session, parseReference(image), body, mediaType, options.credentials);
  }

  private async fetch(where: ImageLocation, credentials?: Credentials): Promise<Manifest> {
    const res = await this.manifestRequest("GET", where, credentials);
    if (res.status !== 200) throw statusError(where, res);
    const digest = `sha256:${createHash("sha256").update(res.body).digest("hex")}`;
    const claimed = headerDigest(res);
    if (claimed && claimed !== digest)
      throw new RegistryError(where, `Docker-Content-Digest ${claimed} does not match the body's ${digest}`);
    if (where.digest && where.digest !== digest)
      throw new RegistryError(where, `the body's digest ${digest} does not match ${where.digest}`);
    const mediaType = manifestMediaType(header(res, "content-type"), res.body);
    if (!mediaType) {
      throw new RegistryError(
        where,
        `unsupported manifest media type ${JSON.stringify(header(res, "content-type") ?? "")}; want an OCI or Docker schema 2 manifest or index`,
      );
    }
    return { digest, mediaType, body: res.body };
  }

  private manifestRequest(
    method: "GET" | "HEAD",
    where: ImageLocation,
    credentials?: Credentials,
  ): Promise<HttpResponse> {
    return this.session.send(where, {
      method,
      url: manifestUrl(where),
      headers: { accept: MANIFEST_ACCEPT },
      maxBodyBytes: MAX_MANIFEST_BYTES,
      credentials,
    });
  }
}

function resolved(where: ImageLocation, digest: string, mediaType: ManifestMediaType): ResolvedImage {
  return { ...where, digest, mediaType, pinned: pinnedReference(where.name, digest) };
}
