import { test } from "node:test";
import assert from "node:assert/strict";
import type { Condition } from "../../crds/meta.ts";
import { conditionNote } from "./events.ts";

const c = (status: Condition["status"], reason: string, message = "m"): Condition[] => [
  { type: "Ready", status, reason, message, lastTransitionTime: "2025-01-01T00:00:00Z" },
];

test("a condition tells of a change of status or reason, never of the same again", () => {
  assert.deepEqual(conditionNote(undefined, c("True", "Reachable"), "Ready", "TargetReady"), {
    type: "Normal",
    reason: "TargetReady",
    message: "m",
  });
  assert.deepEqual(conditionNote(c("True", "Reachable"), c("False", "Unreachable", "dial tcp: refused"), "Ready"), {
    type: "Warning",
    reason: "Unreachable",
    message: "dial tcp: refused",
  });
  assert.equal(conditionNote(c("False", "Unreachable"), c("False", "Unreachable", "other words"), "Ready"), undefined);
  assert.equal(conditionNote(undefined, c("Unknown", "Probing"), "Ready"), undefined);
});
