import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { probeHttp } from "./http.ts";

describe("http probe", () => {
  let server: Server;
  let port: number;
  const seen: { url?: string; host?: string; token?: string }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, host: req.headers.host, token: req.headers["x-token"] as string | undefined });
      if (req.url === "/healthz") return res.writeHead(200).end("ok");
      if (req.url === "/moved") return res.writeHead(302, { Location: "/nowhere" }).end();
      if (req.url === "/slow") return; // never answers
      res.writeHead(404).end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("is healthy on 2xx and 3xx without following redirects", async () => {
    const ok = await probeHttp({ host: "127.0.0.1", port, path: "/healthz" }, 2000);
    assert.deepEqual(ok, { healthy: true, message: `GET http://127.0.0.1:${port}/healthz: 200 OK` });
    const moved = await probeHttp({ host: "127.0.0.1", port, path: "/moved" }, 2000);
    assert.equal(moved.healthy, true);
    assert.ok(!seen.some((s) => s.url === "/nowhere"));
  });

  it("is unhealthy on 404, naming the URL and status", async () => {
    const res = await probeHttp({ host: "127.0.0.1", port, path: "/missing" }, 2000);
    assert.deepEqual(res, { healthy: false, message: `GET http://127.0.0.1:${port}/missing: 404 Not Found` });
  });

  it("sends the Host header and extra headers it is given, and / by default", async () => {
    seen.length = 0;
    await probeHttp(
      { host: "127.0.0.1", port, hostHeader: "shop.example", headers: [{ name: "X-Token", value: "t1" }] },
      2000,
    );
    assert.deepEqual(seen, [{ url: "/", host: "shop.example", token: "t1" }]);
  });

  it("is unhealthy when the server does not answer in time", async () => {
    const res = await probeHttp({ host: "127.0.0.1", port, path: "/slow" }, 100);
    assert.deepEqual(res, { healthy: false, message: `GET http://127.0.0.1:${port}/slow: no answer within 100ms` });
  });

  it("is unhealthy when nothing listens", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const free = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const res = await probeHttp({ host: "127.0.0.1", port: free, path: "/healthz" }, 2000);
    assert.deepEqual(res, {
      healthy: false,
      message: `GET http://127.0.0.1:${free}/healthz: connection refused (ECONNREFUSED)`,
    });
  });

  it("stops when aborted", async () => {
    const ac = new AbortController();
    const pending = probeHttp({ host: "127.0.0.1", port, path: "/slow" }, 60_000, ac.signal);
    ac.abort();
    assert.equal((await pending).healthy, false);
  });
});
