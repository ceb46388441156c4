import { test } from "node:test";
import assert from "node:assert/strict";
import { targetKind } from "../../crds/target.ts";
import { matchesSelector, referencesOf, selectorsOf } from "./references.ts";

const refs = (obj: { spec?: unknown; status?: unknown }) =>
  referencesOf(obj).map((r) => `${r.info.kind}/${r.name} ${r.field}`);

test("string fields, lists and {name} objects named after kinds are references", () => {
  assert.deepEqual(
    refs({ spec: { release: "shop-1-4-0", environment: "staging", promotion: "p1", strategy: { type: "Rolling" } } }),
    ["Release/shop-1-4-0 spec.release", "Environment/staging spec.environment", "Promotion/p1 spec.promotion"],
  );
  assert.deepEqual(
    refs({
      spec: { upstream: ["dev"], targetSelector: { matchLabels: { a: "b" } } },
      status: { current: { release: "r1" }, conditions: [{ type: "Ready" }] },
    }),
    ["Environment/dev spec.upstream[0]", "Release/r1 status.current.release"],
  );
  assert.deepEqual(
    refs({ spec: { driver: "agent", agent: { name: "a1" }, ssh: { privateKeySecretRef: { name: "k", key: "id" } } } }),
    ["Agent/a1 spec.agent.name", "Secret/k spec.ssh.privateKeySecretRef.name"],
  );
  assert.deepEqual(refs({ status: { previousRelease: "r0", targets: ["t1"] } }), [
    "Release/r0 status.previousRelease",
    "Target/t1 status.targets[0]",
  ]);
  // Settings objects that share a kind's name are not references.
  assert.deepEqual(
    refs({ spec: { deployment: { strategy: { type: "AllAtOnce" } }, promotion: { autoPromote: true } } }),
    [],
  );
});

test("selectors pick the kind they are named after; matching follows label selector rules", () => {
  const [s] = selectorsOf({ spec: { targetSelector: { matchLabels: { "stella.io/environment": "prod" } } } });
  assert.equal(s.info, targetKind);
  assert.ok(matchesSelector({ "stella.io/environment": "prod", role: "web" }, s.selector));
  assert.ok(!matchesSelector({ "stella.io/environment": "dev" }, s.selector));
  const expr = {
    matchExpressions: [
      { key: "role", operator: "In" as const, values: ["web"] },
      { key: "old", operator: "DoesNotExist" as const },
    ],
  };
  assert.ok(matchesSelector({ role: "web" }, expr));
  assert.ok(!matchesSelector({ role: "web", old: "1" }, expr));
  assert.ok(!matchesSelector({}, expr));
});
