// A small typed client for the part of Nomad's HTTP API the driver uses. Not the `nomad-client`
// package: that ships raw TypeScript, pulls axios, awilix and an HCL parser, and has no deployment
// promote/fail calls. Over node:http(s) rather than fetch because fetch cannot take a private CA
// without undici as a dependency. Blocking queries (`index`, `wait`) instead of tight polling;
// 429 and 5xx retried with backoff; 401/403 are Unauthorized, terminal.
//   https://developer.hashicorp.com/nomad/api-docs  (blocking queries, ACL tokens, namespaces)
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";

/** Where and how to reach Nomad. */
export interface NomadConnection {
  address: string;
  namespace: string;
  region?: string;
  token?: string;
  tls?: { ca?: string; cert?: string; key?: string };
}

/** A non-2xx answer from Nomad. */
export class NomadApiError extends Error {
  override readonly name = "NomadApiError";
  constructor(
    readonly status: number,
    readonly body: string,
    readonly path: string,
  ) {
    super(`${path}: ${status} ${body.trim().slice(0, 200)}`);
  }
}

/** Whether `err` is Nomad answering 404. */
export const isNotFound = (err: unknown): boolean => err instanceof NomadApiError && err.status === 404;

const RETRIES = [250, 1000, 3000];

/** The answer of a read, with the index a blocking query can wait past. */
export interface Indexed<T> {
  body: T;
  index: number;
}

export class NomadClient {
  constructor(readonly conn: NomadConnection) {}

  /** GET; with `index`, a blocking query that returns once Nomad's index passes it (or `wait`). */
  async get<T>(
    path: string,
    opts: { index?: number; wait?: string; query?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Indexed<T>> {
    const query = { ...opts.query, ...(opts.index ? { index: String(opts.index), wait: opts.wait ?? "10s" } : {}) };
    return this.call<T>("GET", path, query, undefined, opts.signal);
  }

  async write<T>(
    method: "POST" | "DELETE",
    path: string,
    body?: unknown,
    query?: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<T> {
    return (await this.call<T>(method, path, query ?? {}, body, signal)).body;
  }

  private async call<T>(
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<Indexed<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, query, body, signal);
      } catch (err) {
        const retryable = !(err instanceof NomadApiError) || err.status === 429 || err.status >= 500;
        if (!retryable || attempt >= RETRIES.length || signal?.aborted) throw this.translate(err, path);
        await new Promise((r) => setTimeout(r, RETRIES[attempt] * (0.75 + Math.random() / 2)));
      }
    }
  }

  private translate(err: unknown, path: string): unknown {
    if (err instanceof NomadApiError) {
      if (err.status === 401 || err.status === 403) {
        return new DriverError(DriverReasons.Unauthorized, `Nomad refused the token: ${err.message}`, false, {
          cause: err,
        });
      }
      if (err.status === 429 || err.status >= 500) {
        return new DriverError(DriverReasons.Unreachable, `Nomad at ${this.conn.address}: ${err.message}`, true, {
          cause: err,
        });
      }
      return err;
    }
    if (err instanceof DriverError || (err as Error).name === "AbortError") return err;
    return new DriverError(
      DriverReasons.Unreachable,
      `Nomad at ${this.conn.address}${path}: ${(err as Error).message}`,
      true,
      { cause: err },
    );
  }

  private once<T>(
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<Indexed<T>> {
    const url = new URL(`/v1${path}`, this.conn.address);
    url.searchParams.set("namespace", this.conn.namespace);
    if (this.conn.region) url.searchParams.set("region", this.conn.region);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.conn.token) headers["X-Nomad-Token"] = this.conn.token;
    if (payload) headers["Content-Type"] = "application/json";
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        { method, headers, signal, ...(url.protocol === "https:" ? this.conn.tls : {}), timeout: 660_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) return reject(new NomadApiError(status, text, path));
            try {
              resolve({
                body: (text ? JSON.parse(text) : null) as T,
                index: Number(res.headers["x-nomad-index"] ?? 0),
              });
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      req.on("error", reject);
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.end(payload);
    });
  }

  /** A WebSocket URL and headers for a streaming endpoint (alloc exec). */
  socket(path: string, query: Record<string, string>): { url: string; headers: Record<string, string> } {
    const url = new URL(`/v1${path}`, this.conn.address);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("namespace", this.conn.namespace);
    if (this.conn.region) url.searchParams.set("region", this.conn.region);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return { url: url.toString(), headers: this.conn.token ? { "X-Nomad-Token": this.conn.token } : {} };
  }
}
