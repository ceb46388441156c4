import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type AddressInfo, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { probeTcp } from "./tcp.ts";

describe("tcp probe", () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((socket) => socket.destroy());
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  it("is healthy when a connection opens", async () => {
    const res = await probeTcp({ host: "127.0.0.1", port }, 2000);
    assert.deepEqual(res, { healthy: true, message: `TCP 127.0.0.1:${port}: connected` });
  });

  it("is unhealthy when the port is closed, naming address and cause", async () => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const free = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, "close");
    const res = await probeTcp({ host: "127.0.0.1", port: free }, 2000);
    assert.deepEqual(res, { healthy: false, message: `TCP 127.0.0.1:${free}: connection refused (ECONNREFUSED)` });
  });

  it("is unhealthy when aborted before connecting", async () => {
    const ac = new AbortController();
    ac.abort();
    const res = await probeTcp({ host: "127.0.0.1", port }, 2000, ac.signal);
    assert.deepEqual(res, { healthy: false, message: `TCP 127.0.0.1:${port}: aborted` });
  });
});
