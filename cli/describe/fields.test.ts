import { test } from "node:test";
import assert from "node:assert/strict";
import { fieldLines, humanKey } from "./fields.ts";

test("keys read as words; label keys keep their spelling", () => {
  assert.equal(humanKey("displayName"), "Display Name");
  assert.equal(humanKey("maxParallel"), "Max Parallel");
  assert.equal(humanKey("stella.io/environment"), "stella.io/environment");
});

test("nested fields: aligned scalars, indented maps, named list items, joined scalar lists", () => {
  const lines = fieldLines({
    displayName: "Staging",
    upstream: ["dev", "qa"],
    targetSelector: { matchLabels: { "stella.io/environment": "staging" } },
    components: [{ name: "web", image: "shop/web:1.4.0" }, { image: "x" }],
    gates: [],
  });
  assert.deepEqual(lines, [
    "  Display Name:  Staging",
    "  Upstream:      dev, qa",
    "  Target Selector:",
    "    Match Labels:",
    "      stella.io/environment:  staging",
    "  Components:",
    "    web:",
    "      Image:  shop/web:1.4.0",
    "    [1]:",
    "      Image:  x",
    "  Gates:         <none>",
  ]);
});
