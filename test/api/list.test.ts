// Lists: label and field selectors, limit/continue as a consistent snapshot, Table output.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

const names = (body: { items: { metadata: { name: string } }[] }) => body.items.map((i) => i.metadata.name);

describe("list", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
    for (let i = 0; i < 12; i++) {
      const e = environment(`env-${String(i).padStart(2, "0")}`, "default", {
        tier: i % 2 === 0 ? "even" : "odd",
        ...(i < 3 ? { early: "yes" } : {}),
      });
      assert.equal((await env.request("POST", collection("environments"), e)).status, 201);
    }
  });
  after(() => env.stop());

  test("label selectors: equality, inequality, set and existence", async () => {
    const q = async (sel: string) =>
      names((await env.request("GET", `${collection("environments")}?labelSelector=${encodeURIComponent(sel)}`)).body);
    assert.equal((await q("tier=even")).length, 6);
    assert.equal((await q("tier!=even")).length, 6);
    assert.deepEqual(await q("early"), ["env-00", "env-01", "env-02"]);
    assert.equal((await q("!early")).length, 9);
    assert.deepEqual(await q("tier in (odd),early=yes"), ["env-01"]);
  });

  test("field selector on metadata.name", async () => {
    const res = await env.request("GET", `${collection("environments")}?fieldSelector=metadata.name%3Denv-05`);
    assert.deepEqual(names(res.body), ["env-05"]);
  });

  test("limit and continue page through a consistent snapshot", async () => {
    const first = await env.request("GET", `${collection("environments")}?limit=5`);
    assert.equal(first.body.items.length, 5);
    assert.ok(first.body.metadata.continue);
    // Changes after the first page must not show up in later pages.
    assert.equal((await env.request("POST", collection("environments"), environment("env-99"))).status, 201);
    assert.equal((await env.request("DELETE", `${collection("environments")}/env-10`)).status, 200);
    const seen = names(first.body);
    let cont = first.body.metadata.continue;
    while (cont) {
      const page = await env.request(
        "GET",
        `${collection("environments")}?limit=5&continue=${encodeURIComponent(cont)}`,
      );
      assert.equal(page.status, 200, page.text);
      assert.equal(page.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
      seen.push(...names(page.body));
      cont = page.body.metadata.continue;
    }
    assert.equal(seen.length, 12);
    assert.ok(seen.includes("env-10"), "deleted after the snapshot, so still in it");
    assert.ok(!seen.includes("env-99"), "created after the snapshot, so not in it");
  });

  test("a garbled continue token is 400", async () => {
    const res = await env.request("GET", `${collection("environments")}?limit=5&continue=garbage`);
    assert.equal(res.status, 400);
  });

  test("Table output has a Name column, kind columns and Age", async () => {
    const res = await env.request("GET", collection("environments"), undefined, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, "Table");
    const cols = res.body.columnDefinitions.map((c: { name: string }) => c.name);
    assert.equal(cols[0], "Name");
    assert.equal(cols.at(-1), "Age");
    assert.ok(cols.length > 2, `kind columns expected, got ${cols}`);
    assert.equal(res.body.rows[0].cells[0], res.body.rows[0].object.metadata.name);
  });
});
