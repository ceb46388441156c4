import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStorage, type Storage } from "../storage/index.ts";
import { SignInCodes } from "./sign-in-codes.ts";

const alice = {
  user: "alice",
  groups: ["ops"],
  grants: [{ namespace: "shop", role: "approver" as const }],
  tokenId: "t1",
};

describe("sign-in codes (on PGlite)", () => {
  let dir: string;
  let storage: Storage;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stella-codes-"));
    storage = await openStorage({ backend: "pglite", dataDir: join(dir, "db") });
  });
  after(async () => {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("a code is exchanged once for the principal it was made for, expiry included", async () => {
    const codes = new SignInCodes(storage);
    const expiresAt = new Date("2031-02-03T04:05:06.000Z");
    const { code } = await codes.create({ ...alice, expiresAt });
    assert.deepEqual(await codes.redeem(code), { ...alice, expiresAt });
    assert.equal(await codes.redeem(code), undefined);
  });

  it("a code past its lifetime is refused", async () => {
    const codes = new SignInCodes(storage, 0);
    const { code } = await codes.create(alice);
    assert.equal(await codes.redeem(code), undefined);
  });

  it("an unknown code finds nothing, and only the code's digest is stored", async () => {
    const codes = new SignInCodes(storage);
    assert.equal(await codes.redeem("guessed"), undefined);
    const { code } = await codes.create(alice);
    assert.equal(await storage.takeTicket(code), undefined);
    const digest = createHash("sha256").update(code).digest("hex");
    assert.equal(((await storage.takeTicket(digest)) as { user?: string }).user, "alice");
  });

  it("a stored payload that is not a principal signs in nobody", async () => {
    const code = "forged";
    const digest = createHash("sha256").update(code).digest("hex");
    await storage.putTicket({
      digest,
      payload: { user: "mallory", groups: [], grants: [{ namespace: "*", role: "god" }], tokenId: "x" },
      ttlMs: 60_000,
    });
    assert.equal(await new SignInCodes(storage).redeem(code), undefined);
  });
});
