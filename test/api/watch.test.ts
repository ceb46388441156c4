// Watch over HTTP: initial events, resume from a resourceVersion, selectors turning
// MODIFIED into ADDED/DELETED, bookmarks, sendInitialEvents, and 410 after compaction.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";
import { openWatch } from "../watch-reader.ts";

const MERGE = { "content-type": "application/merge-patch+json" };

describe("watch", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ eventWindow: 100 });
  });
  after(() => env.stop());

  test("resourceVersion=0 starts with the current objects as ADDED, then follows changes in order", async () => {
    assert.equal((await env.request("POST", collection("environments"), environment("a"))).status, 201);
    const w = await openWatch(env, `${collection("environments")}?watch=true&resourceVersion=0`);
    assert.equal(w.status, 200);
    const first = await w.next();
    assert.equal(first.type, "ADDED");
    assert.equal(first.object.metadata.name, "a");
    await env.request("PATCH", `${collection("environments")}/a`, { spec: { displayName: "A" } }, MERGE);
    await env.request("DELETE", `${collection("environments")}/a`);
    const mod = await w.next();
    const del = await w.next();
    assert.equal(mod.type, "MODIFIED");
    assert.equal(mod.object.spec.displayName, "A");
    assert.equal(del.type, "DELETED");
    assert.ok(Number(del.object.metadata.resourceVersion) > Number(mod.object.metadata.resourceVersion));
    await w.close();
  });

  test("watching from a list's resourceVersion yields exactly the later changes", async () => {
    await env.request("POST", collection("environments"), environment("b"));
    const list = await env.request("GET", collection("environments"));
    await env.request("POST", collection("environments"), environment("c"));
    const w = await openWatch(
      env,
      `${collection("environments")}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
    );
    const e = await w.next();
    assert.equal(e.type, "ADDED");
    assert.equal(e.object.metadata.name, "c");
    await assert.rejects(w.next(300), /no watch event/);
    await w.close();
  });

  test("with a label selector, leaving the selection is DELETED and entering it is ADDED", async () => {
    await env.request("POST", collection("environments"), environment("d", "default", { watched: "yes" }));
    const list = await env.request("GET", collection("environments"));
    const w = await openWatch(
      env,
      `${collection("environments")}?watch=true&labelSelector=watched%3Dyes&resourceVersion=${list.body.metadata.resourceVersion}`,
    );
    await env.request("PATCH", `${collection("environments")}/d`, { metadata: { labels: { watched: "no" } } }, MERGE);
    await env.request("PATCH", `${collection("environments")}/d`, { metadata: { labels: { watched: "yes" } } }, MERGE);
    assert.equal((await w.next()).type, "DELETED");
    assert.equal((await w.next()).type, "ADDED");
    await w.close();
  });

  test("sendInitialEvents ends the initial state with a bookmark annotated initial-events-end", async () => {
    const w = await openWatch(
      env,
      `${collection("environments")}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`,
    );
    const seen = await w.until((e) => e.type === "BOOKMARK");
    const bookmark = seen.at(-1)!;
    assert.equal(bookmark.object.metadata.annotations["k8s.io/initial-events-end"], "true");
    assert.ok(seen.slice(0, -1).every((e) => e.type === "ADDED"));
    await w.close();
  });

  test("a watch from a compacted resourceVersion gets a 410 Expired ERROR event", async () => {
    const start = (await env.request("GET", collection("environments"))).body.metadata.resourceVersion;
    for (let i = 0; i < 150; i++)
      await env.request("PATCH", `${collection("environments")}/b`, { spec: { displayName: `v${i}` } }, MERGE);
    await env.server.storage.compact(100);
    const w = await openWatch(env, `${collection("environments")}?watch=true&resourceVersion=${start}`);
    const e = await w.next();
    assert.equal(e.type, "ERROR");
    assert.equal(e.object.code, 410);
    assert.equal(e.object.reason, "Expired");
    await w.close();
  });

  test("watch with Table output sends Table objects", async () => {
    const w = await openWatch(env, `${collection("environments")}?watch=true&resourceVersion=0`, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    const e = await w.next();
    assert.equal(e.object.kind, "Table");
    assert.equal(e.object.rows.length, 1);
    await w.close();
  });
});
