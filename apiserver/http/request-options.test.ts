import assert from "node:assert/strict";
import { test } from "node:test";
import { flag, parseForce } from "./request-options.ts";

test("booleans read as kube-apiserver reads them", () => {
  for (const v of ["true", "True", "TRUE", "t", "1", "yes", ""])
    assert.equal(flag({ watch: v }, "watch"), true, JSON.stringify(v));
  for (const v of ["false", "False", "FALSE", "0", undefined])
    assert.equal(flag({ watch: v }, "watch"), false, JSON.stringify(v));
  assert.equal(parseForce({ force: "True" }), true);
  assert.equal(parseForce({}), false);
});
