import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonpath } from "./jsonpath.ts";

const list = {
  items: [
    { metadata: { name: "a", labels: { tier: "web" } }, status: { conditions: [{ type: "Ready", status: "True" }] } },
    { metadata: { name: "b" }, status: { conditions: [{ type: "Ready", status: "False" }] } },
  ],
};

test("paths, wildcards and indexes", () => {
  assert.equal(jsonpath("{.items[*].metadata.name}", list), "a b");
  assert.equal(jsonpath("{.items[0].metadata.labels.tier}", list), "web");
  assert.equal(jsonpath("{.items[-1].metadata.name}", list), "b");
});

test("filters and range with literals", () => {
  assert.equal(jsonpath('{.items[0].status.conditions[?(@.type=="Ready")].status}', list), "True");
  assert.equal(
    jsonpath('{range .items[*]}{.metadata.name}={.status.conditions[0].status}{"\\n"}{end}', list),
    "a=True\nb=False\n",
  );
});

test("text outside braces is kept; objects print as JSON", () => {
  assert.equal(jsonpath("name: {.items[0].metadata.labels}", list), 'name: {"tier":"web"}');
});

test("an unbalanced template is a usage error", () => {
  assert.throws(() => jsonpath("{range .items[*]}{.x}", list), /range/);
  assert.throws(() => jsonpath("{.items", list), /unclosed/);
});
