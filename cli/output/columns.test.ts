import { test } from "node:test";
import assert from "node:assert/strict";
import { alignColumns, alignLine, columnWidths } from "./columns.ts";

test("columns align like kubectl: widest cell plus three, at least six, last column unpadded", () => {
  const lines = alignColumns([
    ["NAME", "CURRENT", "READY", "AGE"],
    ["dev", "", "", "1s"],
    ["staging", "shop-1-4-0", "", "12m"],
  ]);
  assert.deepEqual(lines, [
    "NAME      CURRENT      READY   AGE",
    "dev                            1s",
    "staging   shop-1-4-0           12m",
  ]);
  assert.deepEqual(alignColumns([["NS", "X"]]), ["NS    X"]);
});

test("a later line wider than the first ones grows its column", () => {
  const widths = columnWidths([
    ["NAME", "AGE"],
    ["dev", "1s"],
  ]);
  assert.equal(alignLine(["a-much-longer-name", "2s"], widths), "a-much-longer-name   2s");
  assert.equal(alignLine(["dev", "3s"], widths), "dev                  3s");
});
