// The listener speaks HTTP/2 (ALPN h2) and HTTP/1.1 on one port. Over HTTP/2 one connection carries
// every request and watch (more than the 6 HTTP/1.1 connections a browser opens per origin), a
// response never carries HTTP/1.1's connection headers, a refused body leaves the session usable,
// and stop() ends open watches cleanly and closes the session. HTTP/1.1 answers as before.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import { MAX_STREAMS_PER_CONNECTION } from "../../apiserver/listener.ts";
import { logger } from "../../apiserver/logging/logger.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

const NS = "h2";

/** A response read whole. */
interface H2Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Opens an HTTP/2 session to `env`'s server trusting only its CA. */
function session(env: TestEnv): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = connect(env.server.url, { ca: env.server.pki.caCertPem });
    // Ready once the server's SETTINGS frame came (connect fires before it).
    s.once("remoteSettings", () => resolve(s));
    s.once("error", reject);
  });
}

/** One request on `s`, as admin, read to its end. */
function send(env: TestEnv, s: ClientHttp2Session, method: string, path: string, body?: string): Promise<H2Response> {
  const stream = s.request({
    ":method": method,
    ":path": path,
    authorization: `Bearer ${env.adminToken}`,
    ...(body === undefined ? {} : { "content-type": "application/json" }),
  });
  return new Promise((resolve, reject) => {
    let headers: H2Response["headers"] = {};
    let text = "";
    stream.on("response", (h) => (headers = h));
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (text += chunk));
    stream.once("end", () => resolve({ status: Number(headers[":status"]), headers, body: text }));
    stream.once("error", reject);
    stream.end(body);
  });
}

/** A watch held open on a stream: its status once the headers came, then its lines as they arrive. */
interface H2Watch {
  stream: ClientHttp2Stream;
  status: Promise<number>;
  /** Resolves with the first event whose object is named `name`. */
  eventFor(name: string): Promise<{ type: string; object: { metadata: { name: string } } }>;
  /** Resolves once the server ended the stream (a clean end, not a reset). */
  ended: Promise<void>;
}

function watch(env: TestEnv, s: ClientHttp2Session, path: string): H2Watch {
  const stream = s.request({ ":path": path, authorization: `Bearer ${env.adminToken}` });
  stream.setEncoding("utf8");
  let buffered = "";
  const waiting: { name: string; resolve: (e: never) => void }[] = [];
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines.filter((l) => l.trim())) {
      const event = JSON.parse(line);
      for (const w of waiting.filter((x) => x.name === event.object?.metadata?.name)) w.resolve(event as never);
    }
  });
  return {
    stream,
    status: new Promise((resolve, reject) => {
      stream.once("response", (h) => resolve(Number(h[":status"])));
      stream.once("error", reject);
    }),
    eventFor: (name) => new Promise((resolve) => waiting.push({ name, resolve })),
    ended: new Promise((resolve, reject) => {
      stream.once("end", () => resolve());
      stream.once("error", reject);
    }),
  };
}

/** A GET over HTTP/1.1 (ALPN offers only http/1.1) to the same port. */
function http1Get(env: TestEnv, path: string): Promise<{ version: string; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${env.server.url}${path}`,
      { ca: env.server.pki.caCertPem, headers: { authorization: `Bearer ${env.adminToken}` } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.once("end", () => resolve({ version: res.httpVersion, status: res.statusCode!, body }));
      },
    );
    req.once("error", reject);
    req.end();
  });
}

describe("HTTP/2", { timeout: 120_000 }, () => {
  let env: TestEnv;
  let s: ClientHttp2Session;
  before(async () => {
    env = await startEnv({ listen: true, bodyLimit: 16 * 1024 });
    s = await session(env);
  });
  after(async () => {
    s?.destroy();
    await env?.stop();
  });

  test("the server negotiates h2 and answers a GET and a create on the session", async () => {
    assert.equal(s.alpnProtocol, "h2");
    // A bounded number of streams per connection (Node's default is unbounded).
    assert.equal(s.remoteSettings.maxConcurrentStreams, MAX_STREAMS_PER_CONNECTION);
    const version = await send(env, s, "GET", "/version");
    assert.equal(version.status, 200, version.body);
    assert.ok(JSON.parse(version.body).gitVersion);
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } };
    const created = await send(env, s, "POST", "/api/v1/namespaces", JSON.stringify(ns));
    assert.equal(created.status, 201, created.body);
    assert.equal(JSON.parse(created.body).metadata.name, NS);
    assert.equal(created.headers["connection"], undefined);
  });

  test("ten watches on one session stay open while more requests complete, and each sees the change", async () => {
    const list = await send(env, s, "GET", collection("environments", NS));
    assert.equal(list.status, 200, list.body);
    const rv = JSON.parse(list.body).metadata.resourceVersion;
    const watches = Array.from({ length: 10 }, () =>
      watch(env, s, `${collection("environments", NS)}?watch=true&resourceVersion=${rv}`),
    );
    assert.deepEqual(await Promise.all(watches.map((w) => w.status)), Array(10).fill(200));
    // The 11th and 12th streams: a read and a create, while the ten watches hold theirs.
    const again = await send(env, s, "GET", collection("environments", NS));
    assert.equal(again.status, 200, again.body);
    const events = watches.map((w) => w.eventFor("dev"));
    const created = await send(env, s, "POST", collection("environments", NS), JSON.stringify(environment("dev", NS)));
    assert.equal(created.status, 201, created.body);
    for (const e of await Promise.all(events)) assert.equal(e.type, "ADDED");
    for (const w of watches) w.stream.close();
  });

  test("a watch response carries no HTTP/1.1 connection headers", async () => {
    const w = watch(env, s, `${collection("environments", NS)}?watch=true&resourceVersion=0`);
    const headers = await new Promise<Record<string, unknown>>((resolve) => w.stream.once("response", resolve));
    assert.equal(headers[":status"], 200);
    assert.equal(headers["transfer-encoding"], undefined);
    assert.equal(headers["connection"], undefined);
    assert.equal((await w.eventFor("dev")).type, "ADDED");
    w.stream.close();
  });

  test("a body over the limit is 413 without connection: close, and the session goes on", async () => {
    const big = environment("big", NS);
    big.metadata.annotations = { pad: "x".repeat(32 * 1024) };
    const refused = await send(env, s, "POST", collection("environments", NS), JSON.stringify(big));
    assert.equal(refused.status, 413, refused.body);
    assert.equal(refused.headers["connection"], undefined);
    assert.equal(JSON.parse(refused.body).kind, "Status");
    const after = await send(env, s, "GET", `${collection("environments", NS)}/big`);
    assert.equal(after.status, 404, after.body);
  });

  test("HTTP/1.1 is still answered on the same port", async () => {
    const res = await http1Get(env, `${collection("environments", NS)}/dev`);
    assert.equal(res.version, "1.1");
    assert.equal(res.status, 200, res.body);
    assert.equal(JSON.parse(res.body).metadata.name, "dev");
  });
});

test("stop() ends the watches of an HTTP/2 session cleanly and closes the session", { timeout: 120_000 }, async () => {
  const log: string[] = [];
  const env = await startEnv({ listen: true, logger: logger("info", { kind: "json" }, (line) => log.push(line)) });
  const s = await session(env);
  try {
    const watches = Array.from({ length: 3 }, () => watch(env, s, `${collection("environments")}?watch=true`));
    assert.deepEqual(await Promise.all(watches.map((w) => w.status)), [200, 200, 200]);
    const closed = new Promise<void>((resolve) => s.once("close", () => resolve()));
    let goaway: number | undefined;
    s.once("goaway", (code) => (goaway = code));
    await env.stop();
    await Promise.all(watches.map((w) => w.ended));
    for (const w of watches) assert.equal(w.stream.rstCode, constants.NGHTTP2_NO_ERROR);
    // The session ends: by the server's GOAWAY (graceful), not by a cut connection.
    await closed;
    assert.equal(goaway, constants.NGHTTP2_NO_ERROR);
    // Nothing was left for the grace period to cut: the session closed by itself.
    assert.deepEqual(
      log.filter((l) => /were cut/.test(l)),
      [],
    );
  } finally {
    s.destroy();
  }
});
