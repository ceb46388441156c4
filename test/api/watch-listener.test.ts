// Watches over the real HTTPS listener on HTTP/1.1, where the watch writes to Node's response
// itself (apiserver/http/watch-body.ts) rather than through a web stream: a burst of writes comes
// out exactly once and in order (several events to a chunk), the watch timeout ends the response
// cleanly, and a client that hangs up closes its watch on the server.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ClientRequest } from "node:http";
import { request } from "node:https";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

const NS = "listened";

/** A watch read line by line over HTTP/1.1. */
interface Http1Watch {
  req: ClientRequest;
  version: Promise<string>;
  headers: Promise<Record<string, string | string[] | undefined>>;
  /** Every event received so far. */
  events: WatchEvent[];
  /** Resolves once `cond` holds, checked as lines arrive. */
  until(cond: () => boolean): Promise<void>;
  /** Resolves once the server ended the response. */
  ended: Promise<void>;
}

interface WatchEvent {
  type: string;
  object: { metadata: { name: string; resourceVersion: string } };
}

function watch(env: TestEnv, path: string): Http1Watch {
  const events: WatchEvent[] = [];
  let check = () => {};
  let version!: (v: string) => void;
  let headers!: (h: Record<string, string | string[] | undefined>) => void;
  let ended!: () => void;
  const req = request(
    `${env.server.url}${path}`,
    { ca: env.server.pki.caCertPem, headers: { authorization: `Bearer ${env.adminToken}` } },
    (res) => {
      version(res.httpVersion);
      headers(res.headers);
      let buffered = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines.filter((l) => l.trim())) events.push(JSON.parse(line));
        check();
      });
      res.once("end", () => ended());
    },
  );
  req.once("error", () => {});
  req.end();
  return {
    req,
    version: new Promise((resolve) => (version = resolve)),
    headers: new Promise((resolve) => (headers = resolve)),
    events,
    until: (cond) =>
      new Promise((resolve) => {
        check = () => {
          if (cond()) resolve();
        };
        check();
      }),
    ended: new Promise((resolve) => (ended = resolve)),
  };
}

async function openWatches(env: TestEnv): Promise<number> {
  const res = await env.request("GET", "/metrics");
  const m = /stella_apiserver_open_watches\{resource="environments"\} (\d+)/.exec(res.text);
  return m ? Number(m[1]) : 0;
}

describe("watch over the HTTPS listener (HTTP/1.1)", { timeout: 120_000 }, () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ listen: true });
    await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  });
  after(() => env?.stop());

  test("a burst of concurrent creates arrives exactly once each, in resourceVersion order", async () => {
    const w = watch(env, `${collection("environments", NS)}?watch=true&resourceVersion=0`);
    assert.equal(await w.version, "1.1");
    const names = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
    const created = await Promise.all(
      names.map((n) => env.request("POST", collection("environments", NS), environment(n, NS))),
    );
    for (const r of created) assert.equal(r.status, 201, JSON.stringify(r.body));
    const received = () => new Set(w.events.map((e) => e.object.metadata.name));
    await w.until(() => names.every((n) => received().has(n)));
    const events = w.events;
    const added = events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata.name);
    assert.deepEqual([...added].sort(), [...names].sort(), "each create exactly once");
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(
      rvs,
      [...rvs].sort((a, b) => a - b),
      "in resourceVersion order",
    );
    w.req.destroy();
  });

  test("timeoutSeconds ends the response cleanly; the response has the headers the app set", async () => {
    const w = watch(env, `${collection("environments", NS)}?watch=true&timeoutSeconds=1`);
    assert.equal(await w.version, "1.1");
    const headers = await w.headers;
    assert.equal(headers["content-type"], "application/json");
    assert.equal(headers["transfer-encoding"], "chunked");
    assert.match(String(headers["audit-id"]), /^[0-9a-f-]{36}$/);
    await w.ended;
  });

  test("a client that hangs up closes its watch on the server", async () => {
    const w = watch(env, `${collection("environments", NS)}?watch=true&resourceVersion=0`);
    await w.version;
    const open = await openWatches(env);
    assert.ok(open >= 1, `open watches: ${open}`);
    w.req.destroy();
    while ((await openWatches(env)) >= open) await new Promise((r) => setTimeout(r, 20));
  });
});
