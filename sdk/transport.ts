// HTTP(S) to one apiserver: trust (custom CA), credentials (bearer token, client certificate),
// one keep-alive agent, timeouts, and errors turned into types: a Status body becomes ApiError,
// a connection that fails becomes ConnectionError.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { createInterface } from "node:readline";
import type { ClientConfig } from "./client-config.ts";
import { ResponseDecodeError } from "./errors.ts";
import { connectionError, errorFromResponse } from "./response-errors.ts";

/** A query string as a map; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/** One request. `path` starts with `/`. */
export interface RequestOptions {
  method: string;
  path: string;
  query?: Query;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  /** Content-Type of the body; application/json by default. */
  contentType?: string;
  /** Accept header; application/json by default (e.g. a Table: `application/json;as=Table;v=v1;g=meta.k8s.io`). */
  accept?: string;
  signal?: AbortSignal;
  /** Fails with ConnectionError("timeout") when the server sends nothing for this long. */
  timeoutMs?: number;
}

/** Transport tuning. */
export interface TransportOptions {
  /** Idle timeout of ordinary requests; default 30 s. */
  timeoutMs?: number;
  /** User-Agent; the server derives a default fieldManager from its first word. */
  userAgent?: string;
}

/** The lines of a streaming response (a watch); `close()` ends it early. */
export interface LineStream extends AsyncIterable<string> {
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends requests to the server of one ClientConfig over one keep-alive agent. */
export class Transport {
  private readonly agent: HttpAgent;
  private readonly base: URL;

  constructor(
    readonly config: ClientConfig,
    private readonly opts: TransportOptions = {},
  ) {
    this.base = new URL(config.server);
    const tls = {
      ca: config.caCertPem,
      cert: config.clientCertPem,
      key: config.clientKeyPem,
      rejectUnauthorized: !config.insecureSkipTlsVerify,
      servername: config.tlsServerName,
    };
    this.agent =
      this.base.protocol === "http:" ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true, ...tls });
  }

  /** Sends a request and returns the decoded JSON body (undefined when empty). Non-2xx throws ApiError. */
  async request<T>(opts: RequestOptions): Promise<T> {
    const res = await this.send(opts);
    const text = await readBody(res, this.config.server, opts.signal);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ResponseDecodeError(this.config.server, opts.path, `the answer is not JSON: ${text.slice(0, 120)}`);
    }
  }

  /** Opens a streaming request (a watch) and yields its lines. Non-2xx throws ApiError before any line. */
  async stream(opts: RequestOptions): Promise<LineStream> {
    const res = await this.send(opts);
    const server = this.config.server;
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    return {
      close: () => res.destroy(),
      async *[Symbol.asyncIterator]() {
        try {
          for await (const line of lines) if (line.length > 0) yield line;
        } catch (err) {
          if (opts.signal?.aborted) throw opts.signal.reason;
          throw connectionError(server, err);
        } finally {
          lines.close();
          res.destroy();
        }
        // readline ends quietly when the socket is cut; `aborted`/`complete` tell a cut from an end.
        if (!res.complete) throw connectionError(server, Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    };
  }

  /** Closes idle keep-alive sockets; in-flight requests finish. */
  close(): void {
    this.agent.destroy();
  }

  private send(opts: RequestOptions): Promise<IncomingMessage> {
    const url = new URL(this.base.pathname.replace(/\/$/, "") + opts.path, this.base);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const payload =
      opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = {
      accept: opts.accept ?? "application/json",
      "user-agent": this.opts.userAgent ?? "stella-sdk/0.1",
    };
    if (this.config.token) headers.authorization = `Bearer ${this.config.token}`;
    if (payload !== undefined) {
      headers["content-type"] = opts.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    const server = this.config.server;
    const timeout = opts.timeoutMs ?? this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const send = url.protocol === "http:" ? httpRequest : httpsRequest;
    return new Promise<IncomingMessage>((resolveRes, reject) => {
      const req = send(url, { method: opts.method, headers, agent: this.agent, signal: opts.signal });
      req.setTimeout(timeout, () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
      req.on("error", (err) => reject(opts.signal?.aborted ? opts.signal.reason : connectionError(server, err)));
      req.on("response", (res) => {
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) return resolveRes(res);
        readBody(res, server, opts.signal).then((text) => reject(errorFromResponse(code, text)), reject);
      });
      req.end(payload);
    });
  }
}

async function readBody(res: IncomingMessage, server: string, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw connectionError(server, err);
  }
  return Buffer.concat(chunks).toString("utf8");
}
