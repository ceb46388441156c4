// One HTTP exchange with a registry or token server over node:http / node:https, bounded in time
// and in body size. Failures that are not HTTP answers become a TransportError saying why.
import http from "node:http";
import https from "node:https";

/** The methods the distribution API uses. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT";

/** A request; only uploads (POST, PUT) carry a body. */
export interface HttpRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  /** The whole exchange, connect to last byte, must finish within this. */
  timeoutMs: number;
  /** A longer body fails with TransportError("too-large"). */
  maxBodyBytes: number;
}

/** An HTTP answer of any status. */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Each WWW-Authenticate header on its own (node would join them with commas). */
  challenges: string[];
  body: Buffer;
}

/** Why no HTTP answer came: the peer was unreachable (or too slow), TLS failed, or the body was too big. */
export type TransportFailure = "unreachable" | "tls" | "too-large";

/** A request that ended without a usable HTTP answer. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(
    readonly failure: TransportFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

function failureOf(err: NodeJS.ErrnoException): TransportFailure {
  return TLS_CODE.test(err.code ?? "") ? "tls" : "unreachable";
}

/** Sends one request; resolves with any HTTP answer, rejects with a TransportError. */
export function send(request: HttpRequest): Promise<HttpResponse> {
  const lib = request.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: TransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      reject(err);
    };
    const headers = request.body
      ? { ...request.headers, "content-length": String(request.body.length) }
      : request.headers;
    const req = lib.request(request.url, { method: request.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxBodyBytes) {
          fail(new TransportError("too-large", `response body exceeds ${request.maxBodyBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (err) => fail(new TransportError(failureOf(err), err.message, { cause: err })));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        const challenges: string[] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i].toLowerCase() === "www-authenticate") challenges.push(res.rawHeaders[i + 1]);
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, challenges, body: Buffer.concat(chunks) });
      });
    });
    const deadline = setTimeout(() => {
      fail(new TransportError("unreachable", `no answer from ${request.url.host} within ${request.timeoutMs}ms`));
    }, request.timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => {
      const detail = err.code && !err.message.includes(err.code) ? `${err.code} ${err.message}` : err.message;
      fail(new TransportError(failureOf(err), `${request.method} ${request.url.host}: ${detail}`, { cause: err }));
    });
    req.end(request.body);
  });
}
