import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { EnvironmentGate } from "../../../crds/environment.ts";
import { type FixtureServer, type ReceivedRequest, fixtureRequest, startFixtureServer } from "../testing/fixture.ts";
import { webhookGate } from "./gate.ts";

const SECRET = "s3cret-signing-key";
const secrets = { "hook-key/hmac": SECRET };

/** What a receiver does: HMAC-SHA256 over the raw content, compared in constant time. */
function signatureValid(header: string | string[] | undefined, content: string): boolean {
  const want = Buffer.from(`sha256=${createHmac("sha256", SECRET).update(content).digest("hex")}`);
  const got = Buffer.from(String(header ?? ""));
  return got.length === want.length && timingSafeEqual(got, want);
}

// Answers by path: /ok, /deny, /busy, /throttle, /slow, /moved, /verify (200 only when the signature checks out).
let server: FixtureServer;
before(async () => {
  server = await startFixtureServer((req: ReceivedRequest, res) => {
    const path = req.url.split("?")[0];
    if (path === "/ok") res.writeHead(200).end("go ahead");
    else if (path === "/deny") res.writeHead(403).end(`change freeze by CAB ${"x".repeat(300)}`);
    else if (path === "/busy") res.writeHead(503).end("try later");
    else if (path === "/throttle") res.writeHead(429, { "Retry-After": "7" }).end();
    else if (path === "/slow") setTimeout(() => res.writeHead(200).end("late"), 2000);
    else if (path === "/moved") res.writeHead(302, { Location: `${server.url}/ok` }).end();
    else if (path === "/verify") {
      const content = req.method === "GET" ? req.url.slice(req.url.indexOf("?") + 1) : req.body;
      res.writeHead(signatureValid(req.headers["x-stella-signature"], content) ? 200 : 401).end();
    } else res.writeHead(404).end();
  });
});
after(() => server.close());

const gate = (path: string, extra: Partial<NonNullable<EnvironmentGate["webhook"]>> = {}): EnvironmentGate => ({
  name: "change-board",
  webhook: { url: `${server.url}${path}`, signingSecretRef: { name: "hook-key", key: "hmac" }, ...extra },
});
const evaluate = (config: EnvironmentGate) => webhookGate.evaluate(fixtureRequest({ config, secrets }));

test("a 2xx passes; the POST carries the promotion, release, digests and requester, signed over the raw body", async () => {
  const result = await evaluate(gate("/ok"));
  assert.equal(result.verdict, "Passed");
  assert.equal(result.message, `webhook gate "change-board": POST ${server.url}/ok answered 200: go ahead`);
  const sent = server.received.at(-1)!;
  assert.equal(sent.method, "POST");
  assert.equal(sent.headers["content-type"], "application/json");
  assert.equal(sent.headers["x-stella-event"], "gate");
  assert.ok(
    signatureValid(sent.headers["x-stella-signature"], sent.body),
    "the signature verifies with the shared secret",
  );
  assert.ok(
    !signatureValid(sent.headers["x-stella-signature"], sent.body.replace("alice", "mallory")),
    "and not for another body",
  );
  const payload = JSON.parse(sent.body);
  assert.equal(sent.headers["x-stella-timestamp"], payload.time);
  assert.deepEqual(payload.promotion, { name: "shop-1-4-0-to-prod", namespace: "shop", uid: "promo-uid" });
  assert.equal(payload.release, "shop-1-4-0");
  assert.equal(payload.environment, "prod");
  assert.equal(payload.gate, "change-board");
  assert.deepEqual(payload.requestedBy, { username: "alice", groups: ["dev"] });
  assert.deepEqual(
    payload.digests.map((d: { component: string }) => d.component),
    ["web", "worker"],
  );
  assert.match(payload.digests[0].image, /^127\.0\.0\.1:5000\/shop\/web@sha256:a{64}$/);
  assert.equal(result.inputs?.status, 200);
  const verified = await evaluate(gate("/verify"));
  assert.equal(verified.verdict, "Passed", "a receiver that checks the signature accepts it");
});

test("a 4xx fails with the status and the first 200 characters of the body", async () => {
  const result = await evaluate(gate("/deny"));
  assert.equal(result.verdict, "Failed");
  assert.equal(result.retryAfterMs, undefined);
  const prefix = `change freeze by CAB ${"x".repeat(300)}`.slice(0, 200);
  assert.equal(result.message, `webhook gate "change-board": POST ${server.url}/deny answered 403: ${prefix}`);
});

test("5xx, 429 and timeouts are Error with retryAfterMs", async () => {
  const busy = await evaluate(gate("/busy"));
  assert.deepEqual([busy.verdict, busy.retryAfterMs], ["Error", 30_000]);
  assert.match(busy.message, /answered 503: try later; asking again$/);
  const throttled = await evaluate(gate("/throttle"));
  assert.deepEqual([throttled.verdict, throttled.retryAfterMs], ["Error", 7000]);
  const slow = await evaluate(gate("/slow", { timeout: "200ms" }));
  assert.equal(slow.verdict, "Error");
  assert.equal(slow.inputs?.timedOut, true);
  assert.equal(
    slow.message,
    `webhook gate "change-board": POST ${server.url}/slow: no answer within 0.2s; asking again`,
  );
});

test("a connection error is Error with retryAfterMs", async () => {
  const closed = await startFixtureServer(() => undefined);
  await closed.close();
  const result = await evaluate({ name: "gone", webhook: { url: `${closed.url}/hook` } });
  assert.equal(result.verdict, "Error");
  assert.equal(result.retryAfterMs, 30_000);
  assert.equal(
    result.message,
    `webhook gate "gone": POST ${closed.url}/hook: connection refused (ECONNREFUSED); asking again`,
  );
});

test("GET sends the payload as query parameters and signs the raw query string", async () => {
  const result = await evaluate(gate("/verify", { method: "GET" }));
  assert.equal(result.verdict, "Passed");
  const sent = server.received.at(-1)!;
  assert.equal(sent.method, "GET");
  assert.equal(sent.body, "");
  const q = new URL(sent.url, server.url).searchParams;
  assert.equal(q.get("promotion"), "shop-1-4-0-to-prod");
  assert.equal(q.get("requestedBy"), "alice");
  assert.equal(q.getAll("digest").length, 2);
  assert.equal(q.get("time"), sent.headers["x-stella-timestamp"]);
});

test("redirects are not followed", async () => {
  const before = server.received.length;
  const result = await evaluate(gate("/moved"));
  assert.equal(result.verdict, "Failed");
  assert.match(result.message, /answered 302 \(redirects are not followed; point the gate at the final URL\)/);
  assert.equal(server.received.length, before + 1, "the Location was not called");
});

test("without a signing secret there is no signature; a missing Secret is Error before any call", async () => {
  await evaluate({ name: "open", webhook: { url: `${server.url}/ok` } });
  assert.equal(server.received.at(-1)!.headers["x-stella-signature"], undefined);
  const before = server.received.length;
  const result = await webhookGate.evaluate(fixtureRequest({ config: gate("/ok") }));
  assert.equal(result.verdict, "Error");
  assert.equal(result.retryAfterMs, 30_000);
  assert.match(result.message, /cannot read signing secret hook-key\/hmac: Secret shop\/hook-key has no key hmac/);
  assert.equal(server.received.length, before);
});

test("user info in the URL is sent as Basic authorization; it and the query never reach messages or inputs", async () => {
  const url = new URL(`${server.url}/deny?token=t0ps3cret`);
  url.username = "user";
  url.password = "hunter2";
  const result = await evaluate({ name: "secretive", webhook: { url: url.toString() } });
  const recorded = JSON.stringify(result);
  assert.equal(result.verdict, "Failed");
  for (const secret of ["t0ps3cret", "hunter2", SECRET])
    assert.ok(!recorded.includes(secret), `${secret} is not recorded`);
  assert.equal(result.inputs?.url, `${server.url}/deny`);
  assert.equal(
    server.received.at(-1)!.headers.authorization,
    `Basic ${Buffer.from("user:hunter2").toString("base64")}`,
  );
});
