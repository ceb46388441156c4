// Operations: health endpoints, Prometheus metrics, version, and a graceful shutdown that ends
// open watches cleanly.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:https";
import { startEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

describe("operations", () => {
  test("health, readiness, version and metrics", async () => {
    const env = await startEnv();
    try {
      assert.equal((await env.request("GET", "/healthz", undefined, { authorization: "" })).text, "ok");
      assert.equal((await env.request("GET", "/readyz", undefined, { authorization: "" })).status, 200);
      const version = await env.request("GET", "/version", undefined, { authorization: "" });
      assert.match(version.body.gitVersion, /stella/);
      await env.request("POST", collection("environments"), environment("m"));
      assert.equal((await env.request("GET", "/metrics", undefined, { authorization: "" })).status, 401);
      const viewer = await env.token("v", "viewer", "default");
      assert.equal(
        (await env.request("GET", "/metrics", undefined, { authorization: `Bearer ${viewer}` })).status,
        403,
      );
      const m = await env.request("GET", "/metrics");
      assert.equal(m.status, 200);
      assert.match(m.text, /stella_apiserver_requests_total\{verb="create",resource="environments",code="201"\} 1/);
      assert.match(
        m.text,
        /stella_apiserver_request_duration_seconds_bucket\{le="[0-9.]+",verb="create",resource="environments"\}/,
      );
      assert.match(m.text, /stella_storage_operation_duration_seconds_count\{operation="create"\} [1-9]/);
      assert.match(m.text, /stella_apiserver_open_watches/);
    } finally {
      await env.stop();
    }
  });

  test("shutdown ends an open watch cleanly instead of cutting the connection", async () => {
    const env = await startEnv({ listen: true });
    const url = new URL(`${collection("environments")}?watch=true&resourceVersion=0`, env.server.url);
    const ended = new Promise<string>((resolve, reject) => {
      const req = request(
        url,
        { ca: env.server.pki.caCertPem, headers: { authorization: `Bearer ${env.adminToken}` } },
        (res) => {
          assert.equal(res.statusCode, 200);
          res.resume();
          res.on("end", () => resolve("end"));
          res.on("error", reject);
          res.on("aborted", () => reject(new Error("aborted")));
        },
      );
      req.on("error", reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 300));
    const stopping = env.stop();
    assert.equal(await ended, "end");
    await stopping;
  });
});
