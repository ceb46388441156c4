// The dashboard's sign-in across apiservers: two servers share one PostgreSQL database (and one
// data directory, so one token key), as replicas behind a load balancer do. A code `stella
// dashboard` got from one must work at the other, once, even when both exchanges race.
// Skipped when PostgreSQL is not reachable, except under CI=true.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../apiserver/logging/logger.ts";
import { ApiServer } from "../../apiserver/server.ts";
import { createTestDatabase, postgresSkipReason } from "../storage/postgres-env.ts";

const skip = await postgresSkipReason();
const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

const post = (server: ApiServer, path: string, body: unknown, token?: string) =>
  server.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("dashboard sign-in across apiservers", { skip }, () => {
  it("a code issued by one server is exchanged once at another, also when both race", async () => {
    const db = await createTestDatabase("stella_signin");
    cleanup.push(() => db.drop());
    const dataDir = await mkdtemp(join(tmpdir(), "stella-signin-pg-"));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const start = () =>
      ApiServer.start({
        dataDir,
        databaseUrl: db.url,
        port: 0,
        listen: false,
        logger: silentLogger,
        dashboard: new Map(),
      });
    const a = await start();
    cleanup.push(() => a.stop());
    const b = await start();
    cleanup.push(() => b.stop());
    const bob = await a.issuer.issue({ subject: "bob", grants: [{ namespace: "default", role: "viewer" }] });
    const codeFrom = async (server: ApiServer) => {
      const res = await post(server, "/ui/sign-in-codes", undefined, bob);
      assert.equal(res.status, 201, await res.clone().text());
      return ((await res.json()) as { code: string }).code;
    };

    const code = await codeFrom(a);
    const exchanged = await post(b, "/ui/sessions", { code });
    assert.equal(exchanged.status, 201, await exchanged.clone().text());
    const session = (await exchanged.json()) as { token: string; user: string };
    assert.equal(session.user, "bob");
    const list = await a.app.request("/apis/release.stella.io/v1alpha1/namespaces/default/environments", {
      headers: { authorization: `Bearer ${session.token}` },
    });
    assert.equal(list.status, 200, "the session made at b reads at a what bob may read");
    assert.equal((await post(a, "/ui/sessions", { code })).status, 401, "and the code is used up at a as well");

    const raced = await codeFrom(b);
    const answers = await Promise.all([
      post(a, "/ui/sessions", { code: raced }),
      post(b, "/ui/sessions", { code: raced }),
    ]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [201, 401]);
  });
});
