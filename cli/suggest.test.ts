import { test } from "node:test";
import assert from "node:assert/strict";
import { editDistance, suggestions } from "./suggest.ts";

test("the nearest close words are suggested; distant ones are not", () => {
  assert.equal(editDistance("aply", "apply"), 1);
  assert.deepEqual(suggestions("aply", ["apply", "api-resources", "get"]), ["apply"]);
  assert.deepEqual(suggestions("enviroments", ["environments", "targets"]), ["environments"]);
  assert.deepEqual(suggestions("desc", ["describe", "delete"]), ["describe"]);
  assert.deepEqual(suggestions("xyz", ["apply", "get"]), []);
  assert.deepEqual(suggestions("dele", ["describe", "delete", "get"]), ["delete"]);
});
