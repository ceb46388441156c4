import { test } from "node:test";
import assert from "node:assert/strict";
import type { ManagedFieldsEntry, StellaObject } from "../../../crds/meta.ts";
import { updateManagedFields } from "./managed-fields.ts";

const T0 = new Date("2025-03-01T10:00:00Z");
const T1 = new Date("2025-03-01T11:30:00.999Z");
const API = "release.stella.io/v1alpha1";

function obj(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): StellaObject {
  return {
    apiVersion: API,
    kind: "Target",
    metadata: { name: "t", namespace: "shop", uid: "u", resourceVersion: "7", ...metadata },
    spec,
  };
}

/** Stores `updated` over `live` as `manager` would, returning the stored object. */
function write(
  live: StellaObject | undefined,
  updated: StellaObject,
  manager: string,
  now = T0,
  subresource?: string,
): StellaObject {
  const managedFields = updateManagedFields({ live, updated, manager, operation: "Update", now, subresource });
  return { ...updated, metadata: { ...updated.metadata, managedFields } };
}

const fieldsOf = (o: StellaObject) =>
  Object.fromEntries((o.metadata.managedFields ?? []).map((e) => [e.manager, e.fieldsV1]));

test("a create gives the creator every field it set, server fields excluded", () => {
  const created = write(
    undefined,
    obj({ driver: "docker", docker: { socket: "/s" } }, { labels: { env: "dev" } }),
    "kubectl-create",
  );
  assert.deepEqual(created.metadata.managedFields, [
    {
      manager: "kubectl-create",
      operation: "Update",
      apiVersion: API,
      time: "2025-03-01T10:00:00Z",
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:metadata": { "f:labels": { ".": {}, "f:env": {} } },
        "f:spec": { ".": {}, "f:docker": { ".": {}, "f:socket": {} }, "f:driver": {} },
      },
    },
  ] satisfies ManagedFieldsEntry[]);
});

test("an update moves changed fields to the writer; unchanged ones stay with their owner", () => {
  const created = write(undefined, obj({ driver: "docker", docker: { socket: "/s" } }), "creator");
  const next = structuredClone(created);
  (next.spec as { docker: { socket: string } }).docker.socket = "/other";
  (next.spec as Record<string, unknown>).paused = true;
  const updated = write(created, next, "kubectl-edit", T1);
  assert.deepEqual(fieldsOf(updated), {
    creator: { "f:spec": { ".": {}, "f:docker": {}, "f:driver": {} } }, // a member with no children left is written {}
    "kubectl-edit": { "f:spec": { "f:docker": { "f:socket": {} }, "f:paused": {} } },
  });
  const edit = updated.metadata.managedFields!.find((e) => e.manager === "kubectl-edit")!;
  assert.equal(edit.time, "2025-03-01T11:30:00Z");
  assert.equal(
    updated.metadata.managedFields!.find((e) => e.manager === "creator")!.time,
    "2025-03-01T10:00:00Z",
    "others keep their time",
  );
});

test("removed fields leave every manager; managers left with nothing are dropped", () => {
  const created = write(undefined, obj({ driver: "docker" }, { labels: { a: "1" } }), "creator");
  const next = structuredClone(created);
  delete next.metadata.labels;
  const updated = write(created, next, "cleaner", T1);
  assert.deepEqual(
    fieldsOf(updated),
    { creator: { "f:spec": { ".": {}, "f:driver": {} } } },
    "cleaner removed but gained nothing",
  );
  const emptied = structuredClone(updated);
  emptied.spec = {};
  assert.deepEqual(fieldsOf(write(updated, emptied, "x")), { creator: { "f:spec": {} } });
});

test("a write that changes nothing returns the entries untouched", () => {
  const created = write(undefined, obj({ driver: "docker" }), "creator");
  const same = structuredClone(created);
  same.metadata.resourceVersion = "8";
  assert.deepEqual(
    updateManagedFields({ live: created, updated: same, manager: "other", now: T1 }),
    created.metadata.managedFields,
  );
});

test("status is owned like any field unless ignored", () => {
  const created = write(undefined, obj({ driver: "docker" }), "creator");
  const next = { ...structuredClone(created), status: { reachable: true } };
  const withStatus = updateManagedFields({
    live: created,
    updated: next,
    manager: "ctl",
    now: T0,
    subresource: "status",
  });
  assert.deepEqual(
    withStatus.find((e) => e.manager === "ctl"),
    {
      manager: "ctl",
      operation: "Update",
      apiVersion: API,
      time: "2025-03-01T10:00:00Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:status": { ".": {}, "f:reachable": {} } },
      subresource: "status",
    },
  );
  assert.deepEqual(
    updateManagedFields({ live: created, updated: next, manager: "ctl", now: T0, ignorePaths: ["status"] }),
    created.metadata.managedFields,
  );
});

test("managedFields the request sends replace the live ones; [{}] clears them; subresources ignore them", () => {
  const created = write(undefined, obj({ driver: "docker", paused: false }), "creator");
  const handed: ManagedFieldsEntry[] = [
    {
      manager: "me",
      operation: "Apply",
      apiVersion: API,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:spec": { "f:driver": {} } },
    },
  ];
  const next = { ...structuredClone(created), metadata: { ...created.metadata, managedFields: handed } };
  assert.deepEqual(updateManagedFields({ live: created, updated: next, manager: "x", now: T0 }), handed);
  const reset = { ...structuredClone(created), metadata: { ...created.metadata, managedFields: [{}] } };
  assert.deepEqual(updateManagedFields({ live: created, updated: reset, manager: "x", now: T0 }), []);
  assert.deepEqual(
    updateManagedFields({ live: created, updated: next, manager: "x", now: T0, subresource: "status" }),
    created.metadata.managedFields,
  );
  const garbage = {
    ...structuredClone(created),
    metadata: { ...created.metadata, managedFields: [{ operation: "Bogus" }] as never },
  };
  assert.deepEqual(
    updateManagedFields({ live: created, updated: garbage, manager: "x", now: T0 }),
    created.metadata.managedFields,
    "undecodable: keep the live ones",
  );
});

test("associative list items are owned per key by the writer that added them", () => {
  const rel = (components: unknown[]) => ({ ...obj({ components }), kind: "Release" }) as StellaObject;
  const created = write(undefined, rel([{ name: "web", image: "a" }]), "creator");
  const updated = write(
    created,
    rel([
      { name: "web", image: "a" },
      { name: "api", image: "b" },
    ]),
    "adder",
  );
  assert.deepEqual(fieldsOf(updated).adder, {
    "f:spec": { "f:components": { 'k:{"name":"api"}': { ".": {}, "f:image": {}, "f:name": {} } } },
  });
});
