import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../crds/meta.ts";
import { UsageError } from "../command.ts";
import { judge, parseWaitFor } from "./wait-for.ts";

const env = (conditions: unknown[], extra: Record<string, unknown> = {}): StellaObject => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name: "dev", uid: "u1", generation: 2, ...extra },
  status: { phase: "Ready", conditions },
});

test("--for forms parse; others are usage errors", () => {
  assert.deepEqual(parseWaitFor("condition=Ready"), { kind: "condition", type: "Ready", value: "True" });
  assert.deepEqual(parseWaitFor("condition=Ready=false"), { kind: "condition", type: "Ready", value: "false" });
  assert.deepEqual(parseWaitFor("delete"), { kind: "delete" });
  assert.deepEqual(parseWaitFor("jsonpath={.status.phase}=Ready"), {
    kind: "jsonpath",
    path: ".status.phase",
    value: "Ready",
  });
  assert.deepEqual(parseWaitFor("jsonpath=.status.phase"), {
    kind: "jsonpath",
    path: ".status.phase",
    value: undefined,
  });
  assert.throws(() => parseWaitFor("ready"), UsageError);
  assert.throws(() => parseWaitFor("jsonpath={}"), UsageError);
});

test("conditions: type and value case-insensitive, stale generations do not count", () => {
  const ready = {
    type: "Ready",
    status: "True",
    reason: "AllTargetsReady",
    lastTransitionTime: "2026-01-01T00:00:00Z",
    observedGeneration: 2,
  };
  assert.deepEqual(judge(parseWaitFor("condition=ready"), env([ready])), {
    met: true,
    state: "Ready=True (AllTargetsReady)",
  });
  assert.equal(judge(parseWaitFor("condition=Ready=False"), env([ready])).met, false);
  const stale = judge(parseWaitFor("condition=Ready"), env([{ ...ready, observedGeneration: 1 }]));
  assert.equal(stale.met, false);
  assert.match(stale.state, /observed generation 1 < 2/);
  assert.deepEqual(judge(parseWaitFor("condition=Ready"), env([])), { met: false, state: "no Ready condition yet" });
  assert.deepEqual(judge(parseWaitFor("condition=Ready"), undefined), { met: false, state: "not found" });
});

test("delete: met when gone or replaced by a new object of the same name", () => {
  const w = parseWaitFor("delete");
  assert.equal(judge(w, undefined).met, true);
  assert.equal(judge(w, env([]), "old-uid").met, true);
  assert.deepEqual(
    judge(w, env([], { deletionTimestamp: "2026-01-01T00:00:00Z", finalizers: ["stella.io/cleanup"] }), "u1"),
    {
      met: false,
      state: "being deleted (finalizers: stella.io/cleanup)",
    },
  );
});

test("jsonpath: a value, or existence", () => {
  assert.equal(judge(parseWaitFor("jsonpath={.status.phase}=Ready"), env([])).met, true);
  assert.deepEqual(judge(parseWaitFor("jsonpath={.status.phase}=Failed"), env([])), {
    met: false,
    state: '{.status.phase} is "Ready"',
  });
  assert.equal(judge(parseWaitFor("jsonpath={.status.current}"), env([])).met, false);
  assert.equal(judge(parseWaitFor("create"), env([])).met, true);
});
