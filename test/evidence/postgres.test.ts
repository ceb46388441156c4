// Two apiservers sharing one PostgreSQL database (and one data directory, so one evidence key),
// each with its own in-process lock and head cache: concurrent creates through both still give
// one gapless, linear chain, because the database refuses a second packet at any sequence.
// Skipped when PostgreSQL is not reachable, except under CI=true.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EvidencePacket } from "../../crds/evidence-packet.ts";
import { silentLogger } from "../../apiserver/logging/logger.ts";
import { ApiServer } from "../../apiserver/server.ts";
import { approvalPacket } from "../../sdk/evidence/test-packets.ts";
import { verifyChain } from "../../sdk/evidence/verify-chain.ts";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../storage/postgres-env.ts";
import { packetsUrl } from "./packets.ts";

const skip = await postgresSkipReason();
const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** Creates a packet through one server's API as admin. */
async function create(server: ApiServer, name: string): Promise<EvidencePacket> {
  const token = await server.issuer.issue({ subject: "admin", grants: [{ namespace: "*", role: "admin" }] });
  const res = await server.app.request(packetsUrl("default"), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(approvalPacket(name, "default")),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as EvidencePacket;
}

describe("evidence on shared PostgreSQL", { skip }, () => {
  it("creates racing through two apiservers build one linear chain", async () => {
    const db: TestDatabase = await createTestDatabase("stella_ev");
    cleanup.push(() => db.drop());
    const dataDir = await mkdtemp(join(tmpdir(), "stella-evidence-pg-"));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const start = () => ApiServer.start({ dataDir, databaseUrl: db.url, port: 0, listen: false, logger: silentLogger });
    const a = await start();
    cleanup.push(() => a.stop());
    const b = await start();
    cleanup.push(() => b.stop());
    // Each server learns the head once; from then on each one's cache goes stale whenever the other writes.
    await create(a, "warm-a");
    await create(b, "warm-b");
    await Promise.all(Array.from({ length: 20 }, (_, i) => create(i % 2 === 0 ? a : b, `p${i}`)));
    const list = await a.app.request(packetsUrl("default"), {
      headers: {
        authorization: `Bearer ${await a.issuer.issue({ subject: "admin", grants: [{ namespace: "*", role: "admin" }] })}`,
      },
    });
    const items = ((await list.json()) as { items: EvidencePacket[] }).items;
    assert.deepEqual(
      items.map((p) => p.spec.seal!.sequence).sort((x, y) => x - y),
      Array.from({ length: 22 }, (_, i) => i),
    );
    const pem = await readFile(join(dataDir, "evidence.pub"), "utf8");
    const chain = verifyChain(items, pem, { namespace: "default" });
    assert.equal(chain.ok, true, JSON.stringify(chain.packets.filter((p) => !p.ok)));
  });
});
