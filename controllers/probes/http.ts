// One HTTP GET health probe: 2xx and 3xx are healthy (redirects are not followed), anything else,
// a connection error or the timeout is not. HTTPS probes do not verify the certificate, as
// Kubernetes probes do not. The message names the URL and what came back.
import { request as httpRequest, type RequestOptions } from "node:http";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import { request as httpsRequest } from "node:https";
import type { ProbeResult } from "../../sdk/plugins/driver.ts";
import { errorSummary } from "./error-summary.ts";

/** Where and how to GET. */
export interface HttpProbeTarget {
  host: string;
  port: number;
  path?: string;
  scheme?: "HTTP" | "HTTPS";
  /** Host header; `host:port` when omitted. */
  hostHeader?: string;
  headers?: { name: string; value: string }[];
  /** Opens the connection instead of a direct TCP connection (a tunnel); TLS runs over it for HTTPS. */
  connect?: () => Promise<Duplex>;
}

/** GETs the target once within `timeoutMs`; never throws. */
export function probeHttp(target: HttpProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const scheme = target.scheme === "HTTPS" ? "https" : "http";
  const url = `${scheme}://${hostPart(target.host)}:${target.port}${target.path ?? "/"}`;
  const headers: Record<string, string> = { "User-Agent": "stella-probe", Connection: "close" };
  for (const h of target.headers ?? []) headers[h.name] = h.value;
  if (target.hostHeader) headers.Host = target.hostHeader;
  const request = scheme === "https" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (healthy: boolean, what: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      req.destroy();
      resolve({ healthy, message: `GET ${url}: ${what}` });
    };
    const createConnection = target.connect && tunnelled(target.connect, scheme === "https");
    const options = { method: "GET", headers, rejectUnauthorized: false, agent: false, createConnection };
    const req = request(url, options as RequestOptions, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      done(status >= 200 && status < 400, `${status} ${res.statusMessage ?? ""}`.trim());
    });
    const timer = setTimeout(() => done(false, `no answer within ${timeoutMs}ms`), timeoutMs);
    const onAbort = () => done(false, "aborted");
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (err) => done(false, errorSummary(err)));
    req.end();
  });
}

/** A createConnection for node:http that opens `connect` (with TLS over it for HTTPS). */
function tunnelled(connect: () => Promise<Duplex>, tls: boolean) {
  return (_options: unknown, callback: (err: Error | null, socket?: Duplex) => void): undefined => {
    connect().then(
      (stream) => callback(null, tls ? tlsConnect({ socket: stream, rejectUnauthorized: false }) : stream),
      (err: Error) => callback(err),
    );
    return undefined;
  };
}

/** IPv6 literals go in brackets inside a URL. */
export const hostPart = (host: string): string => (host.includes(":") ? `[${host}]` : host);
