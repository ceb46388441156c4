import { test } from "node:test";
import assert from "node:assert/strict";
import { SignInCodes } from "./sign-in-codes.ts";

const alice = { user: "alice", groups: [], grants: [{ namespace: "shop", role: "approver" as const }], tokenId: "t1" };

test("a sign-in code is exchanged once for the principal it was made for", () => {
  const codes = new SignInCodes();
  const { code } = codes.create(alice);
  assert.deepEqual(codes.redeem(code), alice);
  assert.equal(codes.redeem(code), undefined);
});

test("a sign-in code past its lifetime is refused", () => {
  let now = 1_000;
  const codes = new SignInCodes(60_000, () => now);
  const { code, expiresAt } = codes.create(alice);
  assert.equal(expiresAt.getTime(), 61_000);
  now = 61_000;
  assert.equal(codes.redeem(code), undefined);
});

test("an unknown code finds nothing", () => {
  assert.equal(new SignInCodes().redeem("guessed"), undefined);
});
