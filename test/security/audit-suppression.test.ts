// Issue 11, audit suppression: an unauthenticated client sending names with NUL among other
// users' refused requests must not erase their audit records (on PostgreSQL, one failed
// INSERT used to take its whole group-commit batch down). Every refused attempt is audited,
// the NUL requests are refused before anything reads them, and a failed audit write is an
// alarm on /metrics. Runs on PGlite and on PostgreSQL.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import postgres from "postgres";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../storage/postgres-env.ts";

const USERS = 300;
const pgSkip = await postgresSkipReason();
const databases: TestDatabase[] = [];
after(async () => {
  for (const db of databases) await db.drop();
});

const failures = async (env: TestEnv) => {
  const text = (await env.request("GET", "/metrics")).text;
  const m = /^stella_audit_write_failures_total (\d+)/m.exec(text);
  assert.ok(m, "the alarm metric is exported");
  return Number(m[1]);
};

function suite(backend: "pglite" | "postgres") {
  test("hostile names among 300 users' refused requests: every refused request is audited", async () => {
    let databaseUrl: string | undefined;
    if (backend === "postgres") {
      const db = await createTestDatabase();
      databases.push(db);
      databaseUrl = db.url;
    }
    const env = await startEnv({ databaseUrl });
    try {
      const tokens = await Promise.all(
        Array.from({ length: USERS }, (_, i) => env.token(`user${i}`, "viewer", "default")),
      );
      const anonymous = { authorization: "" };
      const hostile = [
        () => env.request("DELETE", `${collection("environments")}/a%00b`, undefined, anonymous),
        () => env.request("PUT", `${collection("environments")}/a%00b`, "{}", anonymous),
        () => env.request("POST", collection("environments"), '{"metadata":{"name":"a\\u0000b"}}', anonymous),
        () => env.request("DELETE", `${collection("environments")}/%ED%A0%80`, undefined, anonymous),
      ];
      const refused = tokens.map(
        (t) => () =>
          env.request("DELETE", `${collection("environments")}/dev`, undefined, { authorization: `Bearer ${t}` }),
      );
      // Interleaved, all in flight at once, so hostile records share batches with the others.
      const calls = refused.flatMap((r, i) => (i % 25 === 0 ? [hostile[(i / 25) % hostile.length], r] : [r]));
      const answers = await Promise.all(calls.map((call) => call()));
      for (const a of answers) {
        assert.equal(a.body?.kind, "Status", a.text);
        assert.ok([400, 401, 403].includes(a.status), a.text);
      }
      const log = (
        await env.server.storage.queryAudit({ resource: "environments", verb: "delete", limit: 10_000 })
      ).filter((r) => r.user.startsWith("user"));
      assert.equal(new Set(log.map((r) => r.user)).size, USERS, "every user's refused delete is in the audit log");
      assert.ok(log.every((r) => r.code === 403 && r.outcome === "failure"));
      assert.equal(await failures(env), 0, "no audit write failed");
    } finally {
      await env.stop();
    }
  });
}

describe("audit suppression: pglite", () => suite("pglite"));
describe("audit suppression: postgres", { skip: pgSkip }, () => {
  suite("postgres");

  test("an audit write that fails is an alarm: the failure counter on /metrics goes up", async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const env = await startEnv({ databaseUrl: db.url });
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const viewer = await env.token("mallory", "viewer", "default");
      assert.equal(await failures(env), 0);
      // A real database failure: the audit table is gone.
      await sql.unsafe("ALTER TABLE stella_audit RENAME TO stella_audit_away");
      const res = await env.request("DELETE", `${collection("environments")}/dev`, undefined, {
        authorization: `Bearer ${viewer}`,
      });
      assert.equal(res.status, 403);
      assert.equal(await failures(env), 1);
      // The enrollment routes audit on their own path: the same alarm there.
      const enroll = await env.request(
        "POST",
        "/agent-enrollment/v1/namespaces/default/agents/x/enroll",
        {},
        {
          authorization: "Bearer stb1.forged",
        },
      );
      assert.equal(enroll.status, 401);
      assert.equal(await failures(env), 2);
    } finally {
      await sql.unsafe("ALTER TABLE IF EXISTS stella_audit_away RENAME TO stella_audit").catch(() => {});
      await sql.end({ timeout: 5 });
      await env.stop();
    }
  });
});
