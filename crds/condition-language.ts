// The language of metric success and failure conditions: CEL, the Common Expression Language that
// Kubernetes uses for validation rules, through @marcbachmann/cel-js. One environment serves
// admission (the schemas below reject a condition that does not parse or type-check, naming the
// field) and evaluation (controllers/analysis). `result` is the measured value, dynamically typed:
// a double, a string, a bool, a list, a map or null. Besides CEL's own functions and macros
// (size, has, all, exists, filter, map, double, int, string) conditions may call isNaN and isInf.
import { Environment } from "@marcbachmann/cel-js";
import { z } from "zod";
import { addFieldIssue } from "./refinements.ts";

/** The CEL environment conditions are checked and evaluated in. */
export const conditionEnvironment = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable("result", "dyn")
  .registerFunction("isNaN(double): bool", (x: number) => Number.isNaN(x))
  .registerFunction("isInf(double): bool", (x: number) => x === Infinity || x === -Infinity);

/** Why a condition text is not usable. */
export interface ConditionProblem {
  /** One line, in CEL's words. */
  message: string;
  /** Offset in the text where the problem is, when CEL says. */
  position?: number;
}

/** The first line of a CEL error and the offset it points at. */
export function celProblem(err: unknown): ConditionProblem {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  const pos = (err as { node?: { pos?: unknown } }).node?.pos;
  return typeof pos === "number" ? { message, position: pos } : { message };
}

/** Why `text` cannot be a condition (does not parse, does not type-check, is not a bool), or undefined. */
export function conditionProblem(text: string): ConditionProblem | undefined {
  let checked: { valid: boolean; type?: string; error?: unknown };
  try {
    checked = conditionEnvironment.check(text);
  } catch (err) {
    return celProblem(err);
  }
  if (!checked.valid) return celProblem(checked.error);
  if (checked.type !== "bool" && checked.type !== "dyn") return { message: `evaluates to ${checked.type}, not a bool` };
  return undefined;
}

/** A success or failure condition: CEL over `result`, checked at admission. */
export const celCondition = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const problem = conditionProblem(text);
    if (problem) addFieldIssue(ctx, [], "FieldValueInvalid", `CEL condition \`${text}\`: ${problem.message}`);
  });
