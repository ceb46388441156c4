import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../../crds/meta.ts";
import { ApplyConflictError, BEFORE_FIRST_APPLY, serverSideApply } from "./apply.ts";
import type { ApplyRequest } from "./apply.ts";
import { ApplyInputError } from "./errors.ts";
import { updateManagedFields } from "./managed-fields.ts";

const T0 = new Date("2025-03-01T10:00:00.250Z");
const T1 = new Date("2025-03-01T11:00:00Z");

/** A Deployment-shaped object: apiVersion, kind, name, and the given spec and metadata. */
function config(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): StellaObject {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop", ...metadata },
    spec,
  };
}

function apply(
  live: StellaObject | undefined,
  applied: StellaObject,
  manager: string,
  extra: Partial<ApplyRequest> = {},
) {
  return serverSideApply({ live, applied, manager, now: T0, ...extra });
}

function conflictOf(fn: () => unknown): ApplyConflictError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApplyConflictError, `expected ApplyConflictError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a conflict");
}

const spec = (obj: StellaObject) => obj.spec as Record<string, unknown>;
const owners = (obj: StellaObject) =>
  Object.fromEntries((obj.metadata.managedFields ?? []).map((e) => [e.manager, e.fieldsV1]));

test("apply creates an object and records the applier's fields, without server-set ones", () => {
  const { object, managedFields, changed } = apply(
    undefined,
    config({ replicas: 2, release: "r1" }, { labels: { app: "shop" } }),
    "alice",
  );
  assert.equal(changed, true);
  assert.deepEqual(spec(object), { replicas: 2, release: "r1" });
  assert.equal(object.metadata.name, "web");
  assert.deepEqual(managedFields, [
    {
      manager: "alice",
      operation: "Apply",
      apiVersion: "release.stella.io/v1alpha1",
      time: "2025-03-01T10:00:00Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:metadata": { "f:labels": { "f:app": {} } }, "f:spec": { "f:release": {}, "f:replicas": {} } },
    },
  ]);
  assert.deepEqual(object.metadata.managedFields, managedFields);
});

test("two managers applying disjoint fields coexist", () => {
  const a = apply(undefined, config({ replicas: 2 }, { labels: { app: "shop" } }), "alice").object;
  const b = apply(a, config({ release: "r1" }, { labels: { team: "blue" } }), "bob").object;
  assert.deepEqual(spec(b), { replicas: 2, release: "r1" });
  assert.deepEqual(b.metadata.labels, { app: "shop", team: "blue" });
  assert.deepEqual(owners(b), {
    alice: { "f:metadata": { "f:labels": { "f:app": {} } }, "f:spec": { "f:replicas": {} } },
    bob: { "f:metadata": { "f:labels": { "f:team": {} } }, "f:spec": { "f:release": {} } },
  });
  // Each re-applies its own config: nothing of the other's is lost.
  const again = apply(b, config({ replicas: 3 }, { labels: { app: "shop" } }), "alice").object;
  assert.deepEqual(spec(again), { replicas: 3, release: "r1" });
  assert.deepEqual(again.metadata.labels, { app: "shop", team: "blue" });
});

test("a second manager changing a field owned by the first conflicts, in Kubernetes' words", () => {
  const a = apply(undefined, config({ replicas: 2, release: "r1" }), "alice").object;
  const err = conflictOf(() => apply(a, config({ replicas: 5 }), "bob"));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
  assert.deepEqual(err.conflicts, [
    { manager: "alice", operation: "Apply", apiVersion: "release.stella.io/v1alpha1", field: ".spec.replicas" },
  ]);
  const status = err.toApiError().toStatus();
  assert.equal(status.code, 409);
  assert.equal(status.reason, "Conflict");
  assert.deepEqual(status.details?.causes, [
    { reason: "FieldManagerConflict", message: 'conflict with "alice"', field: ".spec.replicas" },
  ]);
});

test("several conflicts are listed per manager", () => {
  let obj = apply(undefined, config({ replicas: 2, release: "r1" }), "alice").object;
  obj = apply(obj, config({ strategy: { type: "Rolling" } }), "bob").object;
  const err = conflictOf(() =>
    apply(obj, config({ replicas: 1, release: "r2", strategy: { type: "BlueGreen" } }), "carol"),
  );
  assert.equal(
    err.message,
    'Apply failed with 3 conflicts: conflicts with "alice":\n- .spec.release\n- .spec.replicas\nconflicts with "bob":\n- .spec.strategy.type',
  );
  assert.equal(err.causes().length, 3);
});

test("applying the same value shares ownership; a later change by either conflicts", () => {
  const a = apply(undefined, config({ replicas: 2 }), "alice").object;
  const shared = apply(a, config({ replicas: 2 }), "bob").object;
  assert.deepEqual(owners(shared), {
    alice: { "f:spec": { "f:replicas": {} } },
    bob: { "f:spec": { "f:replicas": {} } },
  });
  const err = conflictOf(() => apply(shared, config({ replicas: 3 }), "alice"));
  assert.equal(err.conflicts[0].manager, "bob");
});

test("force transfers ownership of the conflicting fields", () => {
  const a = apply(undefined, config({ replicas: 2, release: "r1" }), "alice").object;
  const { object } = apply(a, config({ replicas: 5 }), "bob", { force: true });
  assert.deepEqual(spec(object), { replicas: 5, release: "r1" });
  assert.deepEqual(owners(object), {
    alice: { "f:spec": { "f:release": {} } },
    bob: { "f:spec": { "f:replicas": {} } },
  });
  // alice no longer owns replicas: her next apply without it leaves bob's value alone...
  const next = apply(object, config({ release: "r1" }), "alice").object;
  assert.equal(spec(next).replicas, 5);
  // ...and her apply of another value now conflicts with bob.
  assert.equal(
    conflictOf(() => apply(object, config({ replicas: 2, release: "r1" }), "alice")).conflicts[0].manager,
    "bob",
  );
});

test("removing a field from an applied config deletes it", () => {
  const a = apply(
    undefined,
    config(
      { replicas: 2, release: "r1", strategy: { type: "Rolling", maxParallel: 1 } },
      { labels: { app: "shop", tier: "web" } },
    ),
    "alice",
  ).object;
  const { object, managedFields } = apply(a, config({ release: "r1" }, { labels: { app: "shop" } }), "alice");
  assert.deepEqual(spec(object), { release: "r1" }, "replicas gone, and strategy with all its fields");
  assert.deepEqual(object.metadata.labels, { app: "shop" });
  assert.deepEqual(managedFields[0].fieldsV1, {
    "f:metadata": { "f:labels": { "f:app": {} } },
    "f:spec": { "f:release": {} },
  });
});

test("a field left out by one applier stays while another manager owns it", () => {
  const a = apply(undefined, config({ replicas: 2, release: "r1" }), "alice").object;
  const both = apply(a, config({ replicas: 2 }), "bob").object;
  const { object } = apply(both, config({ release: "r1" }), "alice");
  assert.equal(spec(object).replicas, 2);
  assert.deepEqual(owners(object), {
    alice: { "f:spec": { "f:release": {} } },
    bob: { "f:spec": { "f:replicas": {} } },
  });
});

test("fields nobody applied (set by an Update) are not pruned by an applier", () => {
  const a = apply(undefined, config({ release: "r1" }), "alice").object;
  const edited = structuredClone(a);
  spec(edited).paused = true;
  edited.metadata.managedFields = updateManagedFields({ live: a, updated: edited, manager: "kubectl-edit", now: T1 });
  const { object } = apply(edited, config({ release: "r2" }), "alice");
  assert.deepEqual(spec(object), { release: "r2", paused: true });
});

test("an Update by kubectl-edit then an Apply that changes the same field conflicts", () => {
  const a = apply(undefined, config({ replicas: 2 }), "kubectl").object;
  const edited = structuredClone(a);
  spec(edited).replicas = 4;
  edited.metadata.managedFields = updateManagedFields({ live: a, updated: edited, manager: "kubectl-edit", now: T1 });
  assert.deepEqual(
    owners(edited),
    { "kubectl-edit": { "f:spec": { "f:replicas": {} } } },
    "the applier lost the field",
  );
  const err = conflictOf(() => apply(edited, config({ replicas: 2 }), "kubectl"));
  assert.equal(
    err.message,
    'Apply failed with 1 conflict: conflict with "kubectl-edit" using release.stella.io/v1alpha1: .spec.replicas',
  );
  // Applying the value kubectl-edit set is no conflict: the field becomes shared.
  const agreed = apply(edited, config({ replicas: 4 }), "kubectl").object;
  assert.equal(spec(agreed).replicas, 4);
  assert.equal(Object.keys(owners(agreed)).length, 2);
});

test("associative lists merge per key: components by name", () => {
  const release = (components: unknown[]) => ({ ...config({ components }), kind: "Release" }) as StellaObject;
  const a = apply(
    undefined,
    release([
      { name: "web", image: "web:1", command: ["httpd"] },
      { name: "worker", image: "worker:1" },
    ]),
    "alice",
  ).object;
  const b = apply(a, release([{ name: "api", image: "api:1" }]), "bob").object;
  assert.deepEqual(spec(b).components, [
    { name: "web", image: "web:1", command: ["httpd"] },
    { name: "worker", image: "worker:1" },
    { name: "api", image: "api:1" },
  ]);
  // bob adds a field to alice's item: no conflict (alice never set it), bob owns just that field.
  // Items both lists hold follow bob's order; worker, which only the live list has, keeps its place.
  const c = apply(
    b,
    release([
      { name: "api", image: "api:1" },
      { name: "web", replicas: 2 },
    ]),
    "bob",
  ).object;
  assert.deepEqual(
    (spec(c).components as { name: string }[]).map((x) => x.name),
    ["api", "worker", "web"],
  );
  const web = (spec(c).components as Record<string, unknown>[]).find((x) => x.name === "web");
  assert.deepEqual(web, { name: "web", image: "web:1", command: ["httpd"], replicas: 2 });
  // alice drops worker: it goes; web stays hers.
  const d = apply(c, release([{ name: "web", image: "web:2", command: ["httpd"] }]), "alice").object;
  assert.deepEqual(
    (spec(d).components as { name: string }[]).map((x) => x.name),
    ["api", "web"],
  );
  // bob changing alice's image conflicts on that item's field only.
  const err = conflictOf(() =>
    apply(
      d,
      release([
        { name: "api", image: "api:1" },
        { name: "web", image: "web:3" },
      ]),
      "bob",
    ),
  );
  assert.deepEqual(
    err.conflicts.map((x) => x.field),
    ['.spec.components[name="web"].image'],
  );
});

test("an item left out by its applier stays, key included, while another manager owns a field in it", () => {
  const release = (components: unknown[]) => ({ ...config({ components }), kind: "Release" }) as StellaObject;
  const a = apply(undefined, release([{ name: "web", image: "web:1", command: ["x"] }]), "alice").object;
  const b = apply(a, release([{ name: "web", replicas: 3 }]), "bob").object;
  const { object } = apply(b, release([]), "alice");
  assert.deepEqual(spec(object).components, [{ name: "web", replicas: 3 }]);
});

test("applied list order wins for shared items; live-only items keep their place", () => {
  const release = (components: unknown[]) => ({ ...config({ components }), kind: "Release" }) as StellaObject;
  const a = apply(undefined, release([{ name: "a" }, { name: "b" }, { name: "c" }]), "alice").object;
  const b = apply(a, release([{ name: "x" }, { name: "c" }, { name: "a" }]), "bob").object;
  assert.deepEqual(
    (spec(b).components as { name: string }[]).map((x) => x.name),
    ["x", "c", "b", "a"],
  );
});

test("atomic lists are replaced whole and conflict as one field", () => {
  const c = (steps: unknown[]) => ({ ...config({ steps }), kind: "Canary" }) as StellaObject;
  const a = apply(undefined, c([{ setWeight: 10 }, { pause: {} }]), "alice").object;
  const err = conflictOf(() => apply(a, c([{ setWeight: 50 }]), "bob"));
  assert.deepEqual(
    err.conflicts.map((x) => x.field),
    [".spec.steps"],
  );
  assert.deepEqual(spec(apply(a, c([{ setWeight: 50 }]), "bob", { force: true }).object).steps, [{ setWeight: 50 }]);
});

test("re-applying the same config changes nothing, timestamps included", () => {
  const a = apply(undefined, config({ replicas: 2 }), "alice").object;
  const again = serverSideApply({ live: a, applied: config({ replicas: 2 }), manager: "alice", now: T1 });
  assert.equal(again.changed, false);
  assert.deepEqual(again.object, a);
  const moved = serverSideApply({ live: a, applied: config({ replicas: 3 }), manager: "alice", now: T1 });
  assert.equal(moved.changed, true);
  assert.equal(moved.managedFields[0].time, "2025-03-01T11:00:00Z");
});

test("an object without managedFields gets a before-first-apply owner, so a first apply can conflict", () => {
  const live = config({ replicas: 1, release: "r1" });
  const err = conflictOf(() => apply(live, config({ replicas: 3 }), "alice"));
  assert.equal(err.conflicts[0].manager, BEFORE_FIRST_APPLY);
  const { object } = apply(live, config({ replicas: 3 }), "alice", { force: true });
  assert.deepEqual(owners(object), {
    alice: { "f:spec": { "f:replicas": {} } },
    [BEFORE_FIRST_APPLY]: { "f:spec": { ".": {}, "f:release": {} } },
  });
});

test("ignorePaths are neither merged nor owned, and the live values stay", () => {
  const live = { ...apply(undefined, config({ replicas: 1 }), "alice").object, status: { phase: "Running" } };
  const applied = { ...config({ replicas: 1 }), status: { phase: "Hacked" } };
  const { object, managedFields } = apply(live, applied, "alice", { ignorePaths: ["status"] });
  assert.deepEqual(object.status, { phase: "Running" });
  assert.deepEqual(managedFields[0].fieldsV1, { "f:spec": { "f:replicas": {} } });
});

test("a subresource apply is a separate manager", () => {
  const a = apply(undefined, config({ replicas: 1 }), "ctl").object;
  const b = apply({ ...a }, { ...config({}), status: { phase: "Ready" } } as StellaObject, "ctl", {
    subresource: "status",
  });
  assert.deepEqual(
    b.managedFields.map((e) => [e.manager, e.subresource]),
    [
      ["ctl", undefined],
      ["ctl", "status"],
    ],
  );
  const err = conflictOf(() =>
    apply(b.object, { ...config({}), status: { phase: "Failed" } } as StellaObject, "other", { subresource: "status" }),
  );
  assert.equal(
    err.message,
    'Apply failed with 1 conflict: conflict with "ctl" with subresource "status": .status.phase',
  );
});

test("null in an applied config unsets the field", () => {
  const a = apply(undefined, config({ replicas: 1, paused: true }), "alice").object;
  const { object } = apply(a, config({ replicas: 1, paused: null }), "alice");
  assert.deepEqual(spec(object), { replicas: 1 });
});

test("unusable apply requests are ApplyInputErrors", () => {
  const dup = { ...config({ components: [{ name: "web" }, { name: "web" }] }), kind: "Release" } as StellaObject;
  const cases: [ApplyRequest, string, number][] = [
    [
      { live: undefined, applied: dup, manager: "a", now: T0 },
      '.spec.components: duplicate entries for key [name="web"]',
      422,
    ],
    [
      { live: undefined, applied: config({}, { managedFields: [] }), manager: "a", now: T0 },
      "metadata.managedFields: must be nil",
      400,
    ],
    [
      { live: undefined, applied: config({}), manager: "", now: T0 },
      "fieldManager is required for apply requests",
      400,
    ],
  ];
  for (const [req, message, code] of cases) {
    assert.throws(
      () => serverSideApply(req),
      (err: unknown) => err instanceof ApplyInputError && err.message === message && err.toApiError().code === code,
    );
  }
});

test("inputs are never mutated", () => {
  const live = apply(undefined, config({ replicas: 1, components: [{ name: "a", x: 1 }] }), "alice").object;
  const applied = config({ replicas: 2, components: [{ name: "a", y: 2 }] });
  const before = structuredClone({ live, applied });
  apply(live, applied, "bob", { force: true });
  assert.deepEqual({ live, applied }, before);
});
