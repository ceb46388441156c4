// Evaluation of success and failure conditions (the language is described in expression-parser.ts).
// Values are JSON: numbers, strings, booleans, nil, lists and objects. Types are checked at every
// step and a mismatch is an ExpressionError that says what the value was, never a silent false.
import type { MetricValue } from "../../sdk/plugins/metric-provider.ts";
import { ExpressionError } from "./errors.ts";
import { type ExprNode, parseExpression } from "./expression-parser.ts";

/** A value a condition computes with. */
export type Value = MetricValue;

/** A parsed condition with its text. */
export interface Expression {
  text: string;
  node: ExprNode;
}

/** Parses `text`; throws ExpressionError with the position of the problem. */
export function compileExpression(text: string): Expression {
  return { text, node: parseExpression(text) };
}

/** The value of `expr` with `result` bound. Throws ExpressionError when types do not fit. */
export function evaluateExpression(expr: Expression, result: Value): Value {
  return evaluate(expr.node, { result, elements: [] });
}

/** Whether the condition holds for `result`. Throws ExpressionError when it is not a boolean. */
export function evaluateCondition(expr: Expression, result: Value): boolean {
  const value = evaluateExpression(expr, result);
  if (typeof value !== "boolean") throw new ExpressionError(`evaluates to ${describeValue(value)}, not true or false`);
  return value;
}

/** A value in words, for messages: `number 0.02`, `a list of 3 values`, `nil`. */
export function describeValue(v: Value): string {
  if (v === null) return "nil";
  if (Array.isArray(v))
    return v.length === 0 ? "an empty list" : `a list of ${v.length} value${v.length === 1 ? "" : "s"}`;
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

interface Scope {
  result: Value;
  elements: Value[];
}

const fail = (message: string): never => {
  throw new ExpressionError(message);
};

function num(v: Value, what: string): number {
  if (typeof v === "number") return v;
  const hint = Array.isArray(v)
    ? " (for a list use all(result, {# …}), max(result) or result[0])"
    : typeof v === "string"
      ? " (float() converts text)"
      : "";
  return fail(`${what} needs a number, got ${describeValue(v)}${hint}`);
}

function bool(v: Value, what: string): boolean {
  return typeof v === "boolean" ? v : fail(`${what} needs true or false, got ${describeValue(v)}`);
}

function list(v: Value, what: string): Value[] {
  return Array.isArray(v) ? v : fail(`${what} needs a list, got ${describeValue(v)}`);
}

function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function evaluate(node: ExprNode, scope: Scope): Value {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "result":
      return scope.result;
    case "element":
      return scope.elements.length > 0
        ? scope.elements[scope.elements.length - 1]
        : fail("# is only defined inside a {predicate}");
    case "array":
      return node.items.map((item) => evaluate(item, scope));
    case "unary": {
      const v = evaluate(node.operand, scope);
      return node.op === "!" ? !bool(v, "!") : -num(v, "unary -");
    }
    case "binary":
      return binary(node.op, node.left, node.right, scope);
    case "member":
      return member(evaluate(node.object, scope), evaluate(node.key, scope));
    case "call":
      return call(node.name, node.args, scope);
    case "predicate":
      return fail("a {predicate} is only an argument of all, any, none, filter or map");
  }
}

function binary(op: string, leftNode: ExprNode, rightNode: ExprNode, scope: Scope): Value {
  const left = evaluate(leftNode, scope);
  if (op === "||") return bool(left, "||") || bool(evaluate(rightNode, scope), "||");
  if (op === "&&") return bool(left, "&&") && bool(evaluate(rightNode, scope), "&&");
  const right = evaluate(rightNode, scope);
  switch (op) {
    case "==":
      return equal(left, right);
    case "!=":
      return !equal(left, right);
    case "<":
    case "<=":
    case ">":
    case ">=": {
      if (typeof left === "string" && typeof right === "string") return compare(op, left.localeCompare(right), 0);
      return compare(op, num(left, op), num(right, op));
    }
    case "in":
      if (Array.isArray(right)) return right.some((v) => equal(v, left));
      if (typeof right === "string")
        return typeof left === "string"
          ? right.includes(left)
          : fail(`in a string needs a string, got ${describeValue(left)}`);
      if (right !== null && typeof right === "object")
        return typeof left === "string"
          ? Object.hasOwn(right, left)
          : fail(`in an object needs a key, got ${describeValue(left)}`);
      return fail(`in needs a list, string or object on its right, got ${describeValue(right)}`);
    case "+":
      if (typeof left === "string" && typeof right === "string") return left + right;
      return num(left, "+") + num(right, "+");
    case "-":
      return num(left, "-") - num(right, "-");
    case "*":
      return num(left, "*") * num(right, "*");
    case "/":
      return num(left, "/") / num(right, "/");
    case "%":
      return num(left, "%") % num(right, "%");
  }
  return fail(`unknown operator ${op}`);
}

function compare(op: string, a: number, b: number): boolean {
  return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
}

function member(object: Value, key: Value): Value {
  if (Array.isArray(object)) {
    if (typeof key !== "number" || !Number.isInteger(key))
      return fail(`a list index must be a whole number, got ${describeValue(key)}`);
    const i = key < 0 ? object.length + key : key;
    return i >= 0 && i < object.length ? object[i] : fail(`index ${key} is out of range for ${describeValue(object)}`);
  }
  if (object !== null && typeof object === "object") {
    if (typeof key !== "string") return fail(`an object field name must be a string, got ${describeValue(key)}`);
    return Object.hasOwn(object, key) ? object[key] : null;
  }
  return fail(`cannot read ${JSON.stringify(key)} of ${describeValue(object)}`);
}

function numbers(args: Value[], name: string): number[] {
  const values = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (values.length === 0) return fail(`${name} of an empty list`);
  return values.map((v) => num(v, name));
}

function call(name: string, argNodes: ExprNode[], scope: Scope): Value {
  if (argNodes[1]?.kind === "predicate") {
    const items = list(evaluate(argNodes[0], scope), name);
    const body = argNodes[1].body;
    const each = (v: Value) => {
      scope.elements.push(v);
      try {
        return evaluate(body, scope);
      } finally {
        scope.elements.pop();
      }
    };
    const test = (v: Value) => bool(each(v), `the predicate of ${name}`);
    if (name === "all") return items.every(test);
    if (name === "any") return items.some(test);
    if (name === "none") return !items.some(test);
    if (name === "filter") return items.filter(test);
    return items.map(each);
  }
  const args = argNodes.map((a) => evaluate(a, scope));
  const one = (): Value => (args.length === 1 ? args[0] : fail(`${name} takes one argument, got ${args.length}`));
  switch (name) {
    case "len": {
      const v = one();
      if (Array.isArray(v) || typeof v === "string") return v.length;
      return v !== null && typeof v === "object"
        ? Object.keys(v).length
        : fail(`len needs a list, string or object, got ${describeValue(v)}`);
    }
    case "abs":
      return Math.abs(num(one(), "abs"));
    case "min":
      return Math.min(...numbers(args, "min"));
    case "max":
      return Math.max(...numbers(args, "max"));
    case "sum":
      return numbers(args, "sum").reduce((a, b) => a + b, 0);
    case "avg": {
      const values = numbers(args, "avg");
      return values.reduce((a, b) => a + b, 0) / values.length;
    }
    case "isNaN":
      return Number.isNaN(num(one(), "isNaN"));
    case "isInf": {
      const v = num(one(), "isInf");
      return v === Infinity || v === -Infinity;
    }
    case "float":
    case "int": {
      const v = one();
      const n =
        typeof v === "number"
          ? v
          : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))
            ? Number(v)
            : fail(`${name} cannot convert ${describeValue(v)} to a number`);
      return name === "int" ? Math.trunc(n) : n;
    }
  }
  return fail(`unknown function ${name}`);
}
