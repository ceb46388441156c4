import { test } from "node:test";
import assert from "node:assert/strict";
import { ExpressionError } from "./errors.ts";
import { type Value, compileExpression, evaluateCondition, evaluateExpression } from "./expression.ts";

const value = (text: string, result: Value) => evaluateExpression(compileExpression(text), result);
const holds = (text: string, result: Value) => evaluateCondition(compileExpression(text), result);
const parseError = (text: string) => {
  try {
    compileExpression(text);
    return "parsed";
  } catch (err) {
    assert.ok(err instanceof ExpressionError);
    return `${err.position}: ${err.message}`;
  }
};
const evalError = (text: string, result: Value) => {
  try {
    return `no error: ${JSON.stringify(value(text, result))}`;
  } catch (err) {
    assert.ok(err instanceof ExpressionError);
    assert.equal(err.position, undefined);
    return err.message;
  }
};

test("comparisons over a number, as canary and gate conditions write them", () => {
  assert.equal(holds("result < 0.01", 0.002), true);
  assert.equal(holds("result < 0.01", 0.02), false);
  assert.equal(holds("result >= 0.95 && result <= 1", 0.97), true);
  assert.equal(holds("result == 1", 1), true);
  assert.equal(holds("result != 1", 1), false);
  assert.equal(holds("result < 1e-3", 0.0005), true);
  assert.equal(holds("not (result > 5) and result > 0 or false", 3), true);
  assert.equal(holds("!(result > 5)", 7), false);
  assert.equal(holds("isNaN(result) || result < 0.01", NaN), true);
  assert.equal(holds("result < 0.01", NaN), false);
});

test("precedence and arithmetic", () => {
  assert.equal(value("1 + 2 * 3 - 4 / 2", null), 5);
  assert.equal(value("(1 + 2) * 3 % 4", null), 1);
  assert.equal(value("-result + 1", 3), -2);
  assert.equal(value("'a' + \"b\"", null), "ab");
  assert.equal(holds("1 < 2 || 1 / 0 > 0 && false", null), true);
});

test("lists, objects and functions", () => {
  assert.equal(holds("all(result, {# < 0.01})", [0.001, 0.002]), true);
  assert.equal(holds("all(result, {# < 0.01})", [0.001, 0.2]), false);
  assert.equal(holds("any(result, {# > 0.1})", [0.001, 0.2]), true);
  assert.equal(holds("none(result, {# > 0.1})", [0.001]), true);
  assert.equal(holds("len(result) == 0", []), true);
  assert.deepEqual(value("filter(result, {# > 1})", [0, 2, 3]), [2, 3]);
  assert.deepEqual(value("map(result, {# * 2})", [1, 2]), [2, 4]);
  assert.equal(value("max(result)", [1, 5, 2]), 5);
  assert.equal(value("min(3, 1, 2)", null), 1);
  assert.equal(value("sum(result) / len(result)", [1, 2, 3]), 2);
  assert.equal(value("avg(result)", [1, 2]), 1.5);
  assert.equal(value("abs(result)", -2), 2);
  assert.equal(value("result[0] + result[-1]", [1, 2, 4]), 5);
  assert.equal(value("result.data.rate", { data: { rate: 0.5 } }), 0.5);
  assert.equal(value("result['error-rate']", { "error-rate": 0.25 }), 0.25);
  assert.equal(value("result.missing", {}), null);
  assert.equal(holds("result.status == 'ok'", { status: "ok" }), true);
  assert.equal(holds("'ok' in result.states", { states: ["ok", "warn"] }), true);
  assert.equal(holds("2 in [1, 2, 3]", null), true);
  assert.equal(value("float(result) + int('2.9')", "0.5"), 2.5);
  assert.equal(holds("isInf(result)", Infinity), true);
  assert.equal(holds("all(result, {any(#, {# > 2})})", [[1, 3], [4]]), true);
});

test("syntax errors name the position", () => {
  assert.equal(parseError("result <"), "8: expected a value at 8, found end of expression");
  assert.equal(parseError("result < 0.01)"), '13: unexpected text at 13, found ")"');
  assert.equal(parseError("results < 1"), '0: unknown name "results" at 0; conditions read `result`');
  assert.equal(parseError("process.exit(1)"), '0: unknown name "process" at 0; conditions read `result`');
  assert.match(parseError("eval('1')"), /^0: unknown function "eval"/);
  assert.equal(parseError("0 < result < 1"), '11: comparisons cannot be chained; join them with && at 11, found "<"');
  assert.match(parseError("# < 1"), /^0: # at 0 names a list element only inside a \{predicate\}/);
  assert.match(parseError("all(result)"), /all takes a list and a \{predicate\}/);
  assert.match(parseError("'open"), /unterminated string/);
  assert.match(parseError("result ; 1"), /unexpected ";" at 7/);
  assert.match(parseError("(".repeat(100) + "1" + ")".repeat(100)), /nested deeper than 64/);
});

test("type errors say what the value was", () => {
  assert.equal(
    evalError("result < 0.01", [0.1, 0.2]),
    "< needs a number, got a list of 2 values (for a list use all(result, {# …}), max(result) or result[0])",
  );
  assert.equal(
    evalError("result < 0.01", []),
    "< needs a number, got an empty list (for a list use all(result, {# …}), max(result) or result[0])",
  );
  assert.equal(evalError("result > 1", "high"), '> needs a number, got string "high" (float() converts text)');
  assert.equal(evalError("result && true", 1), "&& needs true or false, got number 1");
  assert.equal(evalError("result[3]", [1]), "index 3 is out of range for a list of 1 value");
  assert.equal(evalError("result.x", 5), 'cannot read "x" of number 5');
  assert.equal(evalError("max(result)", []), "max of an empty list");
  assert.throws(() => holds("result + 1", 1), /evaluates to number 2, not true or false/);
});
