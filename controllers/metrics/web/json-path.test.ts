import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidJsonPath } from "./errors.ts";
import { parseJsonPath, selectJsonPath } from "./json-path.ts";

const doc = { data: { errorRate: 0.02, "p99-ms": 120, items: [{ value: 1 }, { value: 2 }, { other: 3 }] } };
const select = (path: string) => selectJsonPath(parseJsonPath(path), doc);

test("definite paths select one value", () => {
  assert.deepEqual(select("{$.data.errorRate}"), [0.02]);
  assert.deepEqual(select("$.data.errorRate"), [0.02]);
  assert.deepEqual(select("data.errorRate"), [0.02]);
  assert.deepEqual(select("$['data']['p99-ms']"), [120]);
  assert.deepEqual(select('$.data["p99-ms"]'), [120]);
  assert.deepEqual(select("$.data.items[1].value"), [2]);
  assert.deepEqual(select("$.data.items[-1].other"), [3]);
  assert.deepEqual(select("$"), [doc]);
  assert.deepEqual(select("$.data.missing"), []);
  assert.deepEqual(select("$.data.items[7]"), []);
  assert.equal(parseJsonPath("$.data.items[1].value").definite, true);
});

test("wildcards select lists", () => {
  const path = parseJsonPath("{$.data.items[*].value}");
  assert.equal(path.definite, false);
  assert.deepEqual(selectJsonPath(path, doc), [1, 2]);
  assert.deepEqual(select("$.data.*"), [0.02, 120, doc.data.items]);
});

test("paths outside the subset are refused", () => {
  for (const bad of ["$..value", "$.data[?(@.value > 1)]", "$.data.", "$.data[1:2]", "$ data"]) {
    assert.throws(() => parseJsonPath(bad), InvalidJsonPath, bad);
  }
});
