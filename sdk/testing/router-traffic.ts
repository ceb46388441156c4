// Real traffic for the router conformance suite: identity backends on 127.0.0.1 (each answers
// every request with its side's name and counts the requests it answered) and a bounded load
// generator that sends requests through the router one at a time, each on a new connection, and
// counts which side answered.
import http from "node:http";
import type { AddressInfo } from "node:net";

/** The two sides a router splits between. */
export type Side = "stable" | "canary";

/** Running identity backends and their addresses. */
export interface IdentityBackends {
  stable: string;
  canary: string;
  close(): Promise<void>;
}

/** Several identity backends per side, and how many requests each address answered. */
export interface IdentityPools {
  stable: string[];
  canary: string[];
  /** Requests answered by `address` since the pools started. */
  hits(address: string): number;
  close(): Promise<void>;
}

function listen(side: Side, counts?: Map<string, number>): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    const key = address(server);
    counts?.set(key, (counts.get(key) ?? 0) + 1);
    res.writeHead(200, { "content-type": "text/plain" }).end(side);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

const address = (s: http.Server) => `127.0.0.1:${(s.address() as AddressInfo).port}`;

/** Starts `stable` and `canary` identity backends per side on free loopback ports. */
export async function startIdentityPools(sizes: { stable: number; canary: number }): Promise<IdentityPools> {
  const counts = new Map<string, number>();
  const start = (side: Side, n: number) => Promise.all(Array.from({ length: n }, () => listen(side, counts)));
  const [stable, canary] = [await start("stable", sizes.stable), await start("canary", sizes.canary)];
  return {
    stable: stable.map(address),
    canary: canary.map(address),
    hits: (a) => counts.get(a) ?? 0,
    close: async () => {
      for (const s of [...stable, ...canary]) await new Promise((resolve) => s.close(resolve));
    },
  };
}

/** Starts one stable and one canary backend on free loopback ports. */
export async function startIdentityBackends(): Promise<IdentityBackends> {
  const servers = await Promise.all([listen("stable"), listen("canary")]);
  return {
    stable: address(servers[0]),
    canary: address(servers[1]),
    close: async () => {
      for (const s of servers) await new Promise((resolve) => s.close(resolve));
    },
  };
}

/** How many requests each side answered; `other` counts failures and unknown answers. */
export interface Tally {
  stable: number;
  canary: number;
  other: number;
}

function once(entry: string, headers: Record<string, string>): Promise<string> {
  const port = Number(entry.slice(entry.lastIndexOf(":") + 1));
  const host = entry.slice(0, entry.lastIndexOf(":"));
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: "/", headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve(res.statusCode === 200 ? body : `status ${res.statusCode}`));
    });
    req.on("error", (err) => resolve(`error ${err.message}`));
  });
}

/** Sends `count` requests through `entry` (host:port) with `headers` and counts the answers. */
export async function sendRequests(entry: string, count: number, headers: Record<string, string> = {}) {
  const tally: Tally = { stable: 0, canary: 0, other: 0 };
  for (let i = 0; i < count; i++) {
    const answer = await once(entry, headers);
    if (answer === "stable" || answer === "canary") tally[answer]++;
    else tally.other++;
  }
  return tally;
}
