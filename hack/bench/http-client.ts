// A keep-alive HTTPS client for benchmarks, trusting the server's CA and sending its token.
import { Agent, request } from "node:https";

/** A response body and status. */
export interface BenchResponse {
  status: number;
  body: string;
}

/** Minimal client: one keep-alive agent, JSON in and out. */
export class BenchClient {
  private readonly agent: Agent;
  constructor(
    private readonly base: string,
    ca: string,
    private readonly token: string,
    maxSockets = 64,
  ) {
    this.agent = new Agent({ ca, keepAlive: true, maxSockets });
  }

  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<BenchResponse> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json", ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** Opens a watch and calls `onLine` for each event line until `close()`. */
  watch(path: string, onLine: (line: string) => void): { close(): void } {
    const url = new URL(path, this.base);
    const req = request(
      url,
      {
        method: "GET",
        agent: new Agent({ ca: (this.agent.options as { ca: string }).ca }),
        headers: { authorization: `Bearer ${this.token}` },
      },
      (res) => {
        let partial = "";
        res.on("data", (c: Buffer) => {
          partial += c.toString();
          let nl;
          while ((nl = partial.indexOf("\n")) >= 0) {
            onLine(partial.slice(0, nl));
            partial = partial.slice(nl + 1);
          }
        });
        res.on("error", () => {});
      },
    );
    req.on("error", () => {});
    req.end();
    return { close: () => req.destroy() };
  }

  close(): void {
    this.agent.destroy();
  }
}
