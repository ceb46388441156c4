// Official clients send watch=True (Python), watch=1 or a bare ?watch; each must open a watch, not
// answer a list, and like any watch it is not bounded by the request timeout. A false form stays a list.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { environment } from "../fixtures.ts";

let env: TestEnv;
before(async () => {
  env = await startEnv();
});
after(() => env.stop());

const path = "/apis/release.stella.io/v1alpha1/namespaces/default/environments";

/** The first chunk of the answer to `query`, and whether it is a watch stream. */
async function firstChunk(query: string): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const headers = { authorization: `Bearer ${env.adminToken}` };
  const res = await env.server.app.request(`${path}?${query}`, { headers, signal: controller.signal });
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  controller.abort();
  await reader.cancel().catch(() => {});
  return { status: res.status, text: new TextDecoder().decode(value) };
}

test("watch=True, TRUE, true, t, T, 1 and a bare watch open a watch; False, FALSE, false and 0 list", async () => {
  for (const query of ["watch=True", "watch=TRUE", "watch=true", "watch=t", "watch=T", "watch=1", "watch"]) {
    // With initial events and bookmarks the stream says something at once: an empty namespace gives a bookmark.
    const { status, text } = await firstChunk(
      `${query}&allowWatchBookmarks=True&sendInitialEvents=TRUE&resourceVersionMatch=NotOlderThan`,
    );
    assert.equal(status, 200, query);
    assert.match(text, /"type":"(BOOKMARK|ADDED)"/, `${query}: ${text}`);
  }
  for (const query of ["watch=False", "watch=FALSE", "watch=false", "watch=0"]) {
    const res = await env.request("GET", `${path}?${query}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, "EnvironmentList", query);
  }
});

test("watch=True is a watch for the request timeout too: it may wait for its resourceVersion past it", async () => {
  const slow = await startEnv({ requestTimeoutMs: 1000 });
  try {
    const headers = { authorization: `Bearer ${slow.adminToken}` };
    const created = await slow.request("POST", path, environment("first"));
    assert.equal(created.status, 201, created.text);
    const next = Number(created.body.metadata.resourceVersion) + 1;
    // A watch and a list at a resourceVersion the server has not reached: both wait for it (3 s at most).
    const watch = slow.server.app.request(`${path}?watch=True&resourceVersion=${next}`, { headers });
    const list = await slow.request("GET", `${path}?resourceVersion=${next}`);
    // The list is bounded by the request timeout: once it has answered 504, that timeout has passed.
    assert.equal(list.status, 504, list.text);
    assert.match(list.body.message, /allowed duration/);
    // The server reaches that resourceVersion; the watch reports what comes after it.
    assert.equal((await slow.request("POST", path, environment("second"))).status, 201);
    const res = await watch;
    assert.equal(res.status, 200, "the watch outlived the request timeout");
    assert.equal((await slow.request("POST", path, environment("third"))).status, 201);
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    assert.match(new TextDecoder().decode(value), /"type":"ADDED".*"name":"third"/);
  } finally {
    await slow.stop();
  }
});
