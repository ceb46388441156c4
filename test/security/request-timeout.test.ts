// Issue 11, request time: a create stuck behind the database (here, a table lock another session
// holds, as a PostgreSQL restart would hold it up) is answered 504 at the server's request
// timeout, and is never applied or acknowledged afterwards: its statement is cancelled.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import postgres from "postgres";
import { startEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../storage/postgres-env.ts";

const skip = await postgresSkipReason();
const databases: TestDatabase[] = [];
after(async () => {
  for (const db of databases) await db.drop();
});

describe("request timeout", { skip }, () => {
  test("a write that can not complete in time is 504 and is not made later; watches are not cut", async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const env = await startEnv({ databaseUrl: db.url, requestTimeoutMs: 1500 });
    const blocker = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const watch = env.server.app.request(`${collection("environments")}?watch=true&timeoutSeconds=5`, {
        headers: { authorization: `Bearer ${env.adminToken}` },
      });
      let unlock!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const held = blocker.begin(async (tx) => {
        await tx.unsafe("LOCK TABLE stella_objects IN ACCESS EXCLUSIVE MODE");
        locked();
        await new Promise<void>((r) => (unlock = r));
      });
      await isLocked;
      const res = await env.request("POST", collection("environments"), environment("late"));
      assert.equal(res.status, 504, res.text);
      assert.equal(res.body.kind, "Status");
      assert.equal(res.body.reason, "Timeout");
      unlock();
      await held;
      const get = await env.request("GET", `${collection("environments")}/late`);
      assert.equal(get.status, 404, "the timed-out create was not applied after the lock went");
      const audit = await env.server.storage.queryAudit({ resource: "environments", name: "late" });
      assert.deepEqual(
        audit.map((r) => [r.code, r.outcome]),
        [[504, "failure"]],
        "audited as what the client was told",
      );
      // The watch outlived the request timeout and ends at its own timeoutSeconds.
      const stream = await watch;
      assert.equal(stream.status, 200);
      await stream.text();
    } finally {
      await blocker.end({ timeout: 5 });
      await env.stop();
    }
  });
});
