// Evaluation of success and failure conditions, written in CEL (crds/condition-language.ts holds
// the environment, shared with admission). A condition that does not evaluate to a bool, or cannot
// be applied to the value (a list compared with a number), is an ExpressionError saying what the
// value was, never a silent false.
import { celProblem, conditionEnvironment, conditionProblem } from "../../crds/condition-language.ts";
import type { MetricValue } from "../../sdk/plugins/metric-provider.ts";
import { ExpressionError } from "./errors.ts";

/** A value a condition computes with. */
export type Value = MetricValue;

/** A compiled condition with its text. */
export interface Expression {
  text: string;
  program: (context: { result: Value }) => unknown;
}

/** Compiles `text`; throws ExpressionError (with the offset, when CEL gives one) when it is no condition. */
export function compileExpression(text: string): Expression {
  const problem = conditionProblem(text);
  if (!problem) return { text, program: conditionEnvironment.parse(text) as Expression["program"] };
  const at = problem.position === undefined ? "" : ` (at offset ${problem.position})`;
  throw new ExpressionError(`${problem.message}${at}`, problem.position);
}

/** Whether the condition holds for `result`. Throws ExpressionError when it cannot say. */
export function evaluateCondition(expr: Expression, result: Value): boolean {
  let value: unknown;
  try {
    value = expr.program({ result });
  } catch (err) {
    throw new ExpressionError(`${celProblem(err).message} (result is ${describeValue(result)})`);
  }
  if (typeof value !== "boolean") throw new ExpressionError(`evaluates to ${String(value)}, not true or false`);
  return value;
}

/** A value in words, for messages: `double 0.02`, `a list of 3 values`, `null`. */
export function describeValue(v: Value): string {
  if (v === null) return "null";
  if (Array.isArray(v))
    return v.length === 0 ? "an empty list" : `a list of ${v.length} value${v.length === 1 ? "" : "s"}`;
  if (typeof v === "object") return "a map";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === "number" ? `double ${v}` : `bool ${v}`;
}
