import { test } from "node:test";
import assert from "node:assert/strict";
import { ExpressionError } from "./errors.ts";
import { compileConditions, judge, valueText } from "./measure.ts";
import type { MetricSpec } from "./measure.ts";

const conditions = (successCondition?: string, failureCondition?: string) =>
  compileConditions({
    provider: { web: { url: "http://127.0.0.1:1/", jsonPath: "$" } },
    successCondition,
    failureCondition,
  } as MetricSpec);

test("Argo's rules: a failureCondition that holds wins; a lone successCondition that fails fails", () => {
  assert.deepEqual(judge(0.002, conditions("result < 0.01")), {
    phase: "Successful",
    message: "result 0.002 satisfies `result < 0.01`",
  });
  assert.deepEqual(judge(0.03, conditions("result < 0.01")), {
    phase: "Failed",
    message: "result 0.03 does not satisfy successCondition `result < 0.01`",
  });
  assert.deepEqual(judge(0.5, conditions(undefined, "result > 0.1")), {
    phase: "Failed",
    message: "result 0.5 meets failureCondition `result > 0.1`",
  });
  assert.deepEqual(judge(0.05, conditions(undefined, "result > 0.1")), {
    phase: "Successful",
    message: "result 0.05 does not meet failureCondition `result > 0.1`",
  });
  assert.equal(judge(0.5, conditions("result < 0.01", "result > 0.1")).phase, "Failed");
  assert.equal(judge(0.05, conditions("result < 0.01", "result > 0.1")).phase, "Inconclusive");
  assert.equal(judge(0.001, conditions("result < 0.01", "result > 0.1")).phase, "Successful");
  assert.deepEqual(judge(7, conditions()), { phase: "Successful", message: "result 7 (no conditions)" });
});

test("conditions that do not parse or do not apply are errors naming the condition", () => {
  assert.throws(
    () => conditions("result <<"),
    (err) => err instanceof ExpressionError && /^successCondition `result <<`: /.test(err.message),
  );
  assert.throws(
    () => judge([1, 2], conditions("result < 0.01")),
    (err) =>
      err instanceof ExpressionError &&
      /^successCondition `result < 0.01` on result \[1,2\]: no such overload/.test(err.message),
  );
});

test("values as measurement text", () => {
  assert.equal(valueText(0.25), "0.25");
  assert.equal(valueText(NaN), "NaN");
  assert.equal(valueText([1, 2]), "[1,2]");
  assert.equal(valueText("x".repeat(300)).length, 200);
});
