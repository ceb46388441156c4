import assert from "node:assert/strict";
import { it } from "node:test";
import { removeCondition, setCondition } from "./conditions.ts";

it("moves lastTransitionTime only when the status flips", () => {
  let c = setCondition(
    undefined,
    { type: "Resolved", status: "False", reason: "ManifestNotFound", message: "a" },
    "t1",
  );
  c = setCondition(c, { type: "Resolved", status: "False", reason: "RegistryUnreachable", message: "b" }, "t2");
  assert.deepEqual(c, [
    { type: "Resolved", status: "False", reason: "RegistryUnreachable", message: "b", lastTransitionTime: "t1" },
  ]);
  c = setCondition(c, { type: "Resolved", status: "True", reason: "Resolved", message: "ok" }, "t3");
  c = setCondition(c, { type: "Ready", status: "True" }, "t3");
  assert.deepEqual(
    c.map((x) => [x.type, x.lastTransitionTime]),
    [
      ["Resolved", "t3"],
      ["Ready", "t3"],
    ],
  );
  assert.deepEqual(
    removeCondition(c, "Resolved").map((x) => x.type),
    ["Ready"],
  );
});
