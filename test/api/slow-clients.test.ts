// Clients that hold the server's resources by being slow, on both protocols the listener speaks: a
// body that never finishes is answered at the request timeout (the unauthenticated sign-in
// exchange included) and its stream or connection goes; a client that never reads an answer has its
// HTTP/2 stream reset, or its HTTP/1.1 connection closed, once the answer made no progress for the
// send-stall bound. A quiet watch on the same connection is not a stalled answer and stays.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect, type ClientHttp2Session } from "node:http2";
import { connect as tlsConnect } from "node:tls";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

const NS = "slow";
const BOUND_MS = 1500;
/** Far above the bound, far below a hung test: what "it was cut" may take. */
const CUT_WITHIN_MS = 20_000;

/** Resolves with what `happen` reports, or rejects saying what did not happen in time. */
function within<T>(what: string, happen: (done: (v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not within ${CUT_WITHIN_MS} ms`)), CUT_WITHIN_MS);
    happen((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

describe("slow clients", () => {
  let env: TestEnv;
  const sessions: ClientHttp2Session[] = [];
  /** A new HTTP/2 connection (an idle one is closed after BOUND_MS, so each test opens its own). */
  const h2 = () => {
    const s = connect(env.server.url, { ca: env.server.pki.caCertPem });
    sessions.push(s);
    return s;
  };
  before(async () => {
    env = await startEnv({
      listen: true,
      dashboard: true,
      requestTimeoutMs: BOUND_MS,
      sendStallMs: BOUND_MS,
      keepAliveMs: BOUND_MS,
    });
    await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    // A list of ~5 MiB: more than the socket buffers and HTTP/2 windows between the two ends hold.
    const filler = "x".repeat(24 * 1024);
    for (let i = 0; i < 200; i++) {
      const env1 = environment(`e${i}`, NS);
      env1.metadata.annotations = { "example.com/filler": filler };
      const res = await env.request("POST", collection("environments", NS), env1);
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    for (const s of sessions) s.destroy();
    await env?.stop();
  });

  test("a sign-in exchange whose body never finishes is answered 504 over HTTP/2 and HTTP/1.1", async () => {
    const stream = h2().request({ ":method": "POST", ":path": "/ui/sessions", "content-type": "application/json" });
    stream.write('{"code": "');
    const status = await within<number>("HTTP/2 answer", (done) => stream.once("response", (h) => done(h[":status"]!)));
    assert.equal(status, 504);
    await within("HTTP/2 stream closed", (done) => {
      stream.resume();
      stream.once("close", () => done(undefined));
    });

    const url = new URL(env.server.url);
    const req = httpsRequest({
      host: url.hostname,
      port: url.port,
      path: "/ui/sessions",
      method: "POST",
      ca: env.server.pki.caCertPem,
      headers: { "content-type": "application/json", "content-length": "1000" },
    });
    req.on("error", () => {});
    req.write('{"code": "');
    const res = await within<{ status: number; connection?: string }>("HTTP/1.1 answer", (done) =>
      req.once("response", (r) => {
        r.resume();
        done({ status: r.statusCode!, connection: r.headers.connection });
      }),
    );
    assert.deepEqual(res, { status: 504, connection: "close" });
  });

  test("an HTTP/2 answer nobody reads is reset; a quiet watch on the same connection stays", async () => {
    const auth = { authorization: `Bearer ${env.adminToken}` };
    const session = h2();
    const watch = session.request({
      ":path": `${collection("environments", NS)}?watch=true&resourceVersion=0`,
      ...auth,
    });
    watch.on("data", () => {});
    const list = session.request({ ":path": collection("environments", NS), ...auth });
    list.pause();
    const rstCode = await within<number>("stalled list reset", (done) => list.once("close", () => done(list.rstCode!)));
    assert.equal(rstCode, 8, "NGHTTP2_CANCEL");
    assert.equal(watch.closed, false, "the quiet watch is still open");
    const more = session.request({ ":path": `${collection("environments", NS)}/e1`, ...auth });
    const status = await within<number>("a later request on the connection", (done) =>
      more.once("response", (h) => done(h[":status"]!)),
    );
    more.resume();
    assert.equal(status, 200);
    watch.close();
  });

  test("an HTTP/1.1 answer nobody reads has its connection closed", async () => {
    const url = new URL(env.server.url);
    const req = httpsRequest({
      host: url.hostname,
      port: url.port,
      path: collection("environments", NS),
      ca: env.server.pki.caCertPem,
      headers: { authorization: `Bearer ${env.adminToken}` },
    });
    req.on("error", () => {});
    req.end();
    const res = await within<IncomingMessage>("HTTP/1.1 answer", (done) => req.once("response", done));
    assert.equal(res.statusCode, 200);
    res.pause();
    // A paused reader cannot see the connection end: stall past the bound, then read what is there.
    await new Promise((r) => setTimeout(r, 3 * BOUND_MS));
    let received = 0;
    const ended = await within<string>("HTTP/1.1 answer ends", (done) => {
      res.on("data", (chunk: Buffer) => (received += chunk.length));
      res.once("end", () => done("end"));
      res.once("error", () => done("error"));
      res.once("aborted", () => done("aborted"));
      res.resume();
    });
    assert.equal(res.complete, false, `the answer was cut, not finished (${ended} after ${received} bytes)`);
  });

  test("an HTTP/1.1 connection that stays idle after an answer is still closed at the keep-alive bound", async () => {
    const url = new URL(env.server.url);
    const socket = tlsConnect({
      host: url.hostname,
      port: Number(url.port),
      ca: env.server.pki.caCertPem,
      servername: url.hostname,
    });
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", () => {});
    socket.write(`GET /version HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`);
    await within("the socket closed by the server", (done) => socket.once("close", () => done(undefined)));
    assert.match(answer, /^HTTP\/1\.1 200/, "answered first");
  });
});
