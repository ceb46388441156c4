// Official clients send watch=True (Python), watch=1 or a bare ?watch; each must open a watch, not
// answer a list. A false form stays a list.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";

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

test("watch=True, watch=1 and a bare watch open a watch; watch=False and watch=0 list", async () => {
  for (const query of ["watch=True", "watch=1", "watch"]) {
    // With initial events and bookmarks the stream says something at once: an empty namespace gives a bookmark.
    const { status, text } = await firstChunk(
      `${query}&allowWatchBookmarks=True&sendInitialEvents=TRUE&resourceVersionMatch=NotOlderThan`,
    );
    assert.equal(status, 200, query);
    assert.match(text, /"type":"(BOOKMARK|ADDED)"/, `${query}: ${text}`);
  }
  for (const query of ["watch=False", "watch=0"]) {
    const res = await env.request("GET", `${path}?${query}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, "EnvironmentList", query);
  }
});
