import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../crds/meta.ts";
import { historyOf } from "./history.ts";

test("creation, writes by manager, condition transitions and deletion, oldest first", () => {
  const obj = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: {
      name: "dev",
      creationTimestamp: "2026-01-01T10:00:00Z",
      deletionTimestamp: "2026-01-01T12:00:00Z",
      managedFields: [
        {
          manager: "stella-client-side-apply",
          operation: "Update",
          time: "2026-01-01T10:00:00Z",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:metadata": {}, "f:spec": {} },
        },
        {
          manager: "environment-controller",
          operation: "Update",
          subresource: "status",
          time: "2026-01-01T11:00:00Z",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:status": {} },
        },
        {
          manager: "stella",
          operation: "Apply",
          time: "2026-01-01T11:30:00Z",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:spec": {} },
        },
      ],
    },
    status: {
      conditions: [
        { type: "Ready", status: "True", reason: "AllTargetsReady", lastTransitionTime: "2026-01-01T11:00:05Z" },
      ],
    },
  } as unknown as StellaObject;
  assert.deepEqual(historyOf(obj), [
    { time: "2026-01-01T10:00:00Z", what: "created" },
    { time: "2026-01-01T10:00:00Z", what: "stella-client-side-apply wrote metadata, spec" },
    { time: "2026-01-01T11:00:00Z", what: "environment-controller wrote status (status)" },
    { time: "2026-01-01T11:00:05Z", what: "condition Ready became True (AllTargetsReady)" },
    { time: "2026-01-01T11:30:00Z", what: "stella applied spec" },
    { time: "2026-01-01T12:00:00Z", what: "deletion requested" },
  ]);
  assert.equal(historyOf(obj, 2).length, 2);
});
