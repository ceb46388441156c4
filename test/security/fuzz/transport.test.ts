// Transport-level hostility over real HTTPS, which app.request() can not send: huge headers,
// chunked bodies over the limit (no Content-Length to refuse early), a Content-Length that
// lies, and bodies cut off mid-way. The server answers what it can and stays alive.
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { connect } from "node:tls";
import { after, before, describe, test } from "node:test";
import { startEnv, type TestEnv } from "../../env.ts";
import { collection } from "../../fixtures.ts";

type Reply = { status: number; body: string };

describe("fuzz: transport", () => {
  let env: TestEnv;
  let url: URL;
  before(async () => {
    env = await startEnv({ listen: true, bodyLimit: 64 * 1024 });
    url = new URL(env.server.url);
  });
  after(() => env.stop());

  /** Sends a request, writing the body in the given chunks (chunked encoding unless a length is set). */
  const send = (method: string, path: string, headers: Record<string, string>, chunks: string[] = []): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          ca: env.server.pki.caCertPem,
          headers: { authorization: `Bearer ${env.adminToken}`, ...headers },
        },
        (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on("error", reject);
      for (const c of chunks) req.write(c);
      req.end();
    });

  const alive = async () => {
    const r = await send("GET", "/healthz", {});
    assert.equal(r.status, 200);
  };

  test("a header far over Node's limit is 431 and the server lives on", async () => {
    const r = await send("GET", collection("environments"), { "x-huge": "a".repeat(100 * 1024) }).catch(
      (err: Error) => ({ status: 0, body: err.message }),
    );
    assert.ok(r.status === 431 || r.status === 0, `${r.status} ${r.body}`);
    await alive();
  });

  test("a chunked body over the limit is 413 Status, and nothing is stored", async () => {
    const chunk = `{"apiVersion":"release.stella.io/v1alpha1","kind":"Environment","metadata":{"name":"huge","annotations":{"a":"${"x".repeat(16 * 1024)}`;
    const r = await send("POST", collection("environments"), { "content-type": "application/json" }, [
      chunk,
      ...Array(10).fill("x".repeat(16 * 1024)),
      '"}}}',
    ]).catch((err: Error) => ({ status: 0, body: err.message }));
    if (r.status !== 0) {
      assert.equal(r.status, 413, r.body);
      assert.equal(JSON.parse(r.body).reason, "RequestEntityTooLarge");
    }
    assert.equal((await send("GET", `${collection("environments")}/huge`, {})).status, 404);
    await alive();
  });

  test("a declared Content-Length over the limit is 413 before the body is read", async () => {
    const r = await new Promise<Reply>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: collection("environments"),
          ca: env.server.pki.caCertPem,
          headers: {
            authorization: `Bearer ${env.adminToken}`,
            "content-type": "application/json",
            "content-length": String(10 * 1024 * 1024),
          },
        },
        (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on("error", reject);
      req.write("{");
    });
    assert.equal(r.status, 413, r.body);
    assert.equal(JSON.parse(r.body).kind, "Status");
    await alive();
  });

  test("a body cut off mid-way (the client goes away) leaves the server serving", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(
        { host: url.hostname, port: Number(url.port), ca: env.server.pki.caCertPem, servername: "localhost" },
        () => {
          socket.write(
            `POST ${collection("environments")} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${env.adminToken}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"apiVersion":`,
          );
          setImmediate(() => socket.destroy());
          resolve();
        },
      );
      socket.on("error", () => resolve());
    });
    await alive();
    const malformed = await new Promise<string>((resolve) => {
      const socket = connect(
        { host: url.hostname, port: Number(url.port), ca: env.server.pki.caCertPem, servername: "localhost" },
        () => {
          socket.write(
            `POST ${collection("environments")} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
          );
        },
      );
      let out = "";
      socket.on("data", (d) => (out += d));
      socket.on("close", () => resolve(out));
      socket.on("error", () => resolve(out));
    });
    assert.match(malformed, /^HTTP\/1\.1 400/);
    await alive();
  });
});
