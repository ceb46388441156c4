import { test } from "node:test";
import assert from "node:assert/strict";
import type { ManagedFieldsEntry } from "../../../crds/meta.ts";
import { ManagedFieldsError } from "./errors.ts";
import { decodeManagedFields, encodeManagedFields, managedTime, managerId } from "./managers.ts";

const entry = (
  manager: string,
  operation: "Apply" | "Update",
  time: string,
  extra: Partial<ManagedFieldsEntry> = {},
): ManagedFieldsEntry => ({
  manager,
  operation,
  apiVersion: "v1",
  time,
  fieldsType: "FieldsV1",
  fieldsV1: { "f:spec": { [`f:${manager}`]: {} } },
  ...extra,
});

test("entries encode in Kubernetes order: Apply first, then time, then name", () => {
  const entries = [
    entry("z-update", "Update", "2025-01-01T00:00:00Z"),
    entry("b-apply", "Apply", "2025-01-02T00:00:00Z"),
    entry("a-update", "Update", "2025-01-03T00:00:00Z"),
    entry("a-apply", "Apply", "2025-01-02T00:00:00Z"),
  ];
  const order = encodeManagedFields(decodeManagedFields(entries).values()).map((e) => e.manager);
  assert.deepEqual(order, ["a-apply", "b-apply", "z-update", "a-update"]);
});

test("decode then encode round-trips, subresource included", () => {
  const entries = [entry("ctl", "Update", "2025-01-01T00:00:00Z", { subresource: "status" })];
  assert.deepEqual(encodeManagedFields(decodeManagedFields(entries).values()), entries);
});

test("identity: Apply ignores apiVersion, Update and subresource do not, time never counts", () => {
  assert.equal(
    managerId({ manager: "m", operation: "Apply", apiVersion: "v1" }),
    managerId({ manager: "m", operation: "Apply", apiVersion: "v2" }),
  );
  assert.notEqual(
    managerId({ manager: "m", operation: "Update", apiVersion: "v1" }),
    managerId({ manager: "m", operation: "Update", apiVersion: "v2" }),
  );
  assert.notEqual(
    managerId({ manager: "m", operation: "Update", apiVersion: "v1" }),
    managerId({ manager: "m", operation: "Apply", apiVersion: "v1" }),
  );
  assert.notEqual(
    managerId({ manager: "m", operation: "Apply", apiVersion: "v1", subresource: "status" }),
    managerId({ manager: "m", operation: "Apply", apiVersion: "v1" }),
  );
  const merged = decodeManagedFields([
    entry("m", "Update", "2025-01-01T00:00:00Z"),
    { ...entry("m", "Update", "2025-02-01T00:00:00Z"), fieldsV1: { "f:x": {} } },
  ]);
  assert.equal(merged.size, 1);
  assert.deepEqual([...merged.values()][0].fields.toFieldsV1(), { "f:spec": { "f:m": {} }, "f:x": {} });
});

test("managers owning nothing are not encoded", () => {
  assert.deepEqual(
    encodeManagedFields(
      decodeManagedFields([{ ...entry("m", "Update", "2025-01-01T00:00:00Z"), fieldsV1: {} }]).values(),
    ),
    [],
  );
});

test("invalid entries are ManagedFieldsErrors naming the entry", () => {
  const cases: unknown[] = [
    "nope",
    [{ manager: "m", operation: "Patch", fieldsType: "FieldsV1" }],
    [{ manager: "m", operation: "Update", fieldsType: "FieldsV2" }],
    [{ manager: "m", operation: "Update", fieldsType: "FieldsV1", fieldsV1: { bad: {} } }],
  ];
  for (const c of cases) assert.throws(() => decodeManagedFields(c), ManagedFieldsError, JSON.stringify(c));
  assert.throws(
    () => decodeManagedFields([{}, { operation: "x" }]),
    (e: unknown) => e instanceof ManagedFieldsError && e.index === 0,
  );
});

test("times are RFC 3339 UTC in whole seconds", () => {
  assert.equal(managedTime(new Date("2025-06-07T08:09:10.987Z")), "2025-06-07T08:09:10Z");
});
