import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toStorageError, translating } from "./sql-errors.ts";
import { StorageError } from "./types.ts";

const withCode = (code: string) => Object.assign(new Error(`driver says ${code}`), { code });

describe("toStorageError", () => {
  it("maps connection failures and server shutdowns to Unavailable", () => {
    for (const code of ["ECONNREFUSED", "CONNECTION_CLOSED", "08006", "57P01", "53300", "40001"]) {
      assert.equal(toStorageError(withCode(code), "q").code, "Unavailable", code);
    }
  });

  it("maps values PostgreSQL can not store to Invalid, other SQLSTATEs to Internal", () => {
    assert.equal(toStorageError(withCode("22P05"), "q").code, "Invalid");
    const internal = toStorageError(withCode("42P01"), "q");
    assert.equal(internal.code, "Internal");
    assert.match(internal.message, /42P01/);
    assert.equal(toStorageError(new Error("boom"), "q").code, "Internal");
    assert.equal(toStorageError("not an error", "q").code, "Internal");
  });

  it("passes StorageErrors through, and translating() rethrows only StorageErrors", async () => {
    const own = new StorageError("NotFound", "x");
    assert.equal(toStorageError(own, "q"), own);
    await assert.rejects(
      translating("q", async () => Promise.reject(withCode("08001"))),
      (err) => err instanceof StorageError && err.code === "Unavailable",
    );
    assert.equal(await translating("q", async () => 7), 7);
  });
});
