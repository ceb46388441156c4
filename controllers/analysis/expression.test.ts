import { test } from "node:test";
import assert from "node:assert/strict";
import { ExpressionError } from "./errors.ts";
import { type Value, compileExpression, evaluateCondition } from "./expression.ts";

const holds = (text: string, result: Value) => evaluateCondition(compileExpression(text), result);
const compileError = (text: string) => {
  try {
    compileExpression(text);
    return "compiled";
  } catch (err) {
    assert.ok(err instanceof ExpressionError);
    return `${err.position}: ${err.message}`;
  }
};
const evalError = (text: string, result: Value) => {
  try {
    return `no error: ${holds(text, result)}`;
  } catch (err) {
    assert.ok(err instanceof ExpressionError);
    return err.message;
  }
};

test("comparisons over a number, as canary and gate conditions write them (CEL)", () => {
  assert.equal(holds("result < 0.01", 0.002), true);
  assert.equal(holds("result < 0.01", 0.02), false);
  assert.equal(holds("result >= 0.95 && result <= 1", 0.97), true);
  assert.equal(holds("result == 1", 1), true);
  assert.equal(holds("result != 1", 1), false);
  assert.equal(holds("result < 1e-3", 0.0005), true);
  assert.equal(holds("!(result > 5) && result > 0 || false", 3), true);
  assert.equal(holds("isNaN(result) || result < 0.01", NaN), true);
  assert.equal(holds("result < 0.01", NaN), false);
  assert.equal(holds("isInf(result)", Infinity), true);
});

test("lists, maps and strings through CEL macros and functions", () => {
  assert.equal(holds("result.all(x, x < 0.01)", [0.001, 0.002]), true);
  assert.equal(holds("result.all(x, x < 0.01)", [0.001, 0.2]), false);
  assert.equal(holds("result.exists(x, x > 0.1)", [0.001, 0.2]), true);
  assert.equal(holds("size(result) == 0", []), true);
  assert.equal(holds("result.filter(x, x > 1).size() == 2", [0, 2, 3]), true);
  assert.equal(holds("result[0] + result[2] == 5.0", [1, 2, 4]), true);
  assert.equal(holds("result.data.rate == 0.5", { data: { rate: 0.5 } }), true);
  assert.equal(holds("result['error-rate'] < 0.3", { "error-rate": 0.25 }), true);
  assert.equal(holds("!has(result.missing)", {}), true);
  assert.equal(holds("result.status == 'ok'", { status: "ok" }), true);
  assert.equal(holds("'ok' in result.states", { states: ["ok", "warn"] }), true);
  assert.equal(holds("double(result) > 0.4", "0.5"), true);
});

test("a condition that does not parse or type-check is refused with its position", () => {
  assert.match(compileError("result <"), /^8: Unexpected token: EOF/);
  assert.match(compileError("result < 0.01)"), /^13: Unexpected character: '\)'/);
  assert.match(compileError("results < 1"), /Unknown variable: results/);
  assert.match(compileError("'a' + 1"), /no such overload: string \+ int/);
  assert.match(compileError("1 + 2"), /evaluates to int, not a bool/);
});

test("a condition that cannot be applied to the value says what the value was", () => {
  assert.match(evalError("result < 0.01", [0.1, 0.2]), /no such overload.*\(result is a list of 2 values\)$/);
  assert.match(evalError("result > 1", "high"), /no such overload.*\(result is string "high"\)$/);
  assert.match(evalError("result < 0.01", null), /\(result is null\)$/);
  assert.match(evalError("result.x > 1", {}), /No such key: x/);
  assert.equal(evalError("result", 1), "evaluates to 1, not true or false");
});
