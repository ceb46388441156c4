// GET /audit/v1/events through the real apiserver: filters, newest-first paging, and who may read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { AuditEvent } from "../../crds/audit-event.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { as, NS, seedWrites, tokenFor, type Seeded } from "./audit-env.ts";

const rows = (items: AuditEvent[]) =>
  items.map(
    (e) =>
      `${e.user} ${e.verb} ${e.resource}${e.subresource ? `/${e.subresource}` : ""} ${e.namespace}/${e.name} ${e.code}`,
  );

describe("the audit query API", () => {
  let env: TestEnv;
  let seeded: Seeded;
  before(async () => {
    env = await startEnv();
    seeded = await seedWrites(env);
  });
  after(() => env.stop());

  const events = async (query: string, token?: string) => {
    const res = await env.request("GET", `/audit/v1/events?${query}`, undefined, token ? as(token) : {});
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.kind, "AuditEventList");
    return res.body as { items: AuditEvent[]; metadata: { continue?: string } };
  };

  test("by user and namespace: exactly that user's writes there, newest first", async () => {
    assert.deepEqual(rows((await events(`user=alice&namespace=${NS}`)).items), [
      `alice delete environments ${NS}/staging 200`,
      `alice patch environments ${NS}/dev 200`,
      `alice create environments ${NS}/staging 201`,
      `alice create environments ${NS}/dev 201`,
    ]);
    assert.deepEqual(rows((await events(`user=bob`)).items), [
      `bob create promotions ${NS}/p1 201`,
      "bob create environments default/nope 403",
      `bob create targets ${NS}/t1 201`,
    ]);
  });

  test("by resource, name and verb", async () => {
    assert.deepEqual(rows((await events(`namespace=${NS}&resource=environments&name=dev`)).items), [
      `alice patch environments ${NS}/dev 200`,
      `alice create environments ${NS}/dev 201`,
    ]);
    assert.deepEqual(rows((await events(`namespace=${NS}&resource=targets`)).items), [
      `bob create targets ${NS}/t1 201`,
    ]);
    assert.deepEqual(rows((await events(`namespace=${NS}&verb=delete`)).items), [
      `alice delete environments ${NS}/staging 200`,
    ]);
  });

  test("by time: since and until split the log at an instant", async () => {
    assert.deepEqual(rows((await events(`namespace=${NS}&since=${seeded.boundary}`)).items), [
      `bob create promotions ${NS}/p1 201`,
      `alice delete environments ${NS}/staging 200`,
      `alice patch environments ${NS}/dev 200`,
    ]);
    assert.deepEqual(rows((await events(`namespace=${NS}&until=${seeded.boundary}`)).items), [
      `bob create targets ${NS}/t1 201`,
      `alice create environments ${NS}/staging 201`,
      `alice create environments ${NS}/dev 201`,
    ]);
  });

  test("pages follow continue without gaps or repeats", async () => {
    const all = (await events(`namespace=${NS}`)).items;
    const seen: AuditEvent[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await events(`namespace=${NS}&limit=2${next ? `&continue=${next}` : ""}`);
      assert.ok(page.items.length <= 2);
      seen.push(...page.items);
      next = page.metadata.continue;
      pages++;
    } while (next);
    assert.deepEqual(seen, all);
    assert.equal(pages, Math.ceil(all.length / 2));
  });

  test("cluster admins read everything; a namespace's admins read that namespace only; everyone else gets 403", async () => {
    const nsAdmin = await tokenFor(env, "nadia", "admin");
    assert.ok((await events(`namespace=${NS}`, nsAdmin)).items.length > 0);
    for (const query of ["", "namespace=default", "user=alice"]) {
      const res = await env.request("GET", `/audit/v1/events?${query}`, undefined, as(nsAdmin));
      assert.equal(res.status, 403, query);
    }
    for (const role of ["operator", "approver", "viewer", "controller"] as const) {
      const res = await env.request(
        "GET",
        `/audit/v1/events?namespace=${NS}`,
        undefined,
        as(await tokenFor(env, `${role}-user`, role)),
      );
      assert.equal(res.status, 403, role);
      assert.match(
        res.body.message,
        new RegExp(`roles in "${NS}": ${role}\\) cannot list auditevents in namespace "${NS}"`),
      );
    }
    assert.equal((await env.request("GET", "/audit/v1/events", undefined, { authorization: "" })).status, 401);
  });

  test("bad parameters are 400 naming the parameter", async () => {
    for (const [query, field] of [
      ["since=1h", "since"],
      ["limit=x", "limit"],
      ["continue=garbage", "continue"],
      ["who=alice", "who"],
    ]) {
      const res = await env.request("GET", `/audit/v1/events?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.details.causes[0].field, field, query);
    }
  });
});
