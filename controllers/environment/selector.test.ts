import assert from "node:assert/strict";
import { it } from "node:test";
import { matchesSelector } from "./selector.ts";

it("matches labels and expressions, all of them", () => {
  const labels = { env: "dev", role: "web" };
  assert.equal(matchesSelector(labels, {}), true);
  assert.equal(matchesSelector(undefined, {}), true);
  assert.equal(matchesSelector(labels, { matchLabels: { env: "dev" } }), true);
  assert.equal(matchesSelector(labels, { matchLabels: { env: "prod" } }), false);
  assert.equal(matchesSelector(labels, { matchLabels: { env: "dev", zone: "a" } }), false);
  assert.equal(
    matchesSelector(labels, { matchExpressions: [{ key: "role", operator: "In", values: ["web", "api"] }] }),
    true,
  );
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }), false);
  assert.equal(
    matchesSelector(labels, { matchExpressions: [{ key: "role", operator: "NotIn", values: ["web"] }] }),
    false,
  );
  assert.equal(
    matchesSelector(labels, { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }),
    true,
  );
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: "role", operator: "Exists" }] }), true);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: "role", operator: "DoesNotExist" }] }), false);
  assert.equal(
    matchesSelector(labels, { matchLabels: { env: "dev" }, matchExpressions: [{ key: "zone", operator: "Exists" }] }),
    false,
  );
  assert.equal(
    matchesSelector({ constructor: "x" }, { matchExpressions: [{ key: "toString", operator: "Exists" }] }),
    false,
  );
});
