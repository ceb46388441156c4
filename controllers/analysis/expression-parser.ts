// The parser of success and failure conditions: a small, safe subset of the expr language that Argo
// Rollouts analyses use (no eval, no host objects, no loops but over a list's elements).
//
//   literals     1, 0.5, 1e-3, "text", 'text', true, false, nil (or null), [1, 2]
//   names        result (the measured value); # (the element, inside a {…} predicate)
//   access       result.field, result["field"], result[0]
//   operators    ||  or   &&  and   !  not   ==  !=  <  <=  >  >=  in   +  -  *  /  %
//   functions    len abs min max sum avg isNaN isInf float int
//                all any none filter map, each (list, {predicate over #})
//
// Precedence from loosest: or, and, comparison (one per level, not chained), + -, * / %, unary ! not -.
import { ExpressionError } from "./errors.ts";

/** A parsed expression. */
export type ExprNode =
  | { kind: "literal"; value: null | boolean | number | string }
  | { kind: "result" }
  | { kind: "element"; pos: number }
  | { kind: "array"; items: ExprNode[] }
  | { kind: "unary"; op: "!" | "-"; operand: ExprNode; pos: number }
  | { kind: "binary"; op: string; left: ExprNode; right: ExprNode; pos: number }
  | { kind: "member"; object: ExprNode; key: ExprNode; pos: number }
  | { kind: "call"; name: string; args: ExprNode[]; pos: number }
  | { kind: "predicate"; body: ExprNode; pos: number };

/** Function names conditions may call, and whether their second argument is a {predicate}. */
export const FUNCTIONS: Readonly<Record<string, "plain" | "predicate">> = {
  len: "plain",
  abs: "plain",
  min: "plain",
  max: "plain",
  sum: "plain",
  avg: "plain",
  isNaN: "plain",
  isInf: "plain",
  float: "plain",
  int: "plain",
  all: "predicate",
  any: "predicate",
  none: "predicate",
  filter: "predicate",
  map: "predicate",
};

interface Token {
  kind: "num" | "str" | "name" | "op" | "end";
  text: string;
  value?: number | string;
  pos: number;
}

const OPERATORS = [
  "||",
  "&&",
  "==",
  "!=",
  "<=",
  ">=",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "!",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ".",
  "#",
];
const WORD_OPS: Record<string, string> = { or: "||", and: "&&", not: "!" };
const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">=", "in"]);
const MAX_LENGTH = 4096;
const MAX_DEPTH = 64;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: "num", text: num[0], value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      const op = WORD_OPS[name[0]];
      tokens.push(op ? { kind: "op", text: op, pos: i } : { kind: "name", text: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1,
        value = "";
      while (j < text.length && text[j] !== c) {
        if (text[j] === "\\" && j + 1 < text.length) {
          const e = text[++j];
          value += e === "n" ? "\n" : e === "t" ? "\t" : e;
        } else value += text[j];
        j++;
      }
      if (j >= text.length) throw new ExpressionError(`unterminated string at ${i}`, i);
      tokens.push({ kind: "str", text: text.slice(i, j + 1), value, pos: i });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected ${JSON.stringify(c)} at ${i}`, i);
    tokens.push({ kind: "op", text: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: "end", text: "end of expression", pos: text.length });
  return tokens;
}

/** Parses a condition. Throws ExpressionError (with the position) for anything outside the language. */
export function parseExpression(text: string): ExprNode {
  if (text.length > MAX_LENGTH) throw new ExpressionError(`expression longer than ${MAX_LENGTH} characters`, 0);
  const tokens = tokenize(text);
  let at = 0;
  let depth = 0;
  let predicates = 0;
  const peek = () => tokens[at];
  const isOp = (op: string) => peek().kind === "op" && peek().text === op;
  const fail = (what: string, t = peek()): never => {
    throw new ExpressionError(
      `${what} at ${t.pos}, found ${t.kind === "end" ? t.text : JSON.stringify(t.text)}`,
      t.pos,
    );
  };
  const expect = (op: string) => {
    if (!isOp(op)) fail(`expected "${op}"`);
    at++;
  };

  const binary = (next: () => ExprNode, ops: string[]) => (): ExprNode => {
    let left = next();
    while (peek().kind === "op" && ops.includes(peek().text)) {
      const t = tokens[at++];
      left = { kind: "binary", op: t.text, left, right: next(), pos: t.pos };
    }
    return left;
  };
  const comparison = (): ExprNode => {
    const left = additive();
    const t = peek();
    const op = t.kind === "name" && t.text === "in" ? "in" : t.kind === "op" ? t.text : "";
    if (!COMPARISONS.has(op)) return left;
    at++;
    const node: ExprNode = { kind: "binary", op, left, right: additive(), pos: t.pos };
    const after = peek();
    if (COMPARISONS.has(after.text) && (after.kind === "op" || after.text === "in"))
      fail("comparisons cannot be chained; join them with &&", after);
    return node;
  };
  const unary = (): ExprNode => {
    const t = peek();
    if (t.kind === "op" && (t.text === "!" || t.text === "-")) {
      at++;
      return { kind: "unary", op: t.text, operand: unary(), pos: t.pos };
    }
    return postfix();
  };
  const multiplicative = binary(unary, ["*", "/", "%"]);
  const additive = binary(multiplicative, ["+", "-"]);
  const and = binary(comparison, ["&&"]);
  const or = binary(and, ["||"]);
  const expression = (): ExprNode => {
    if (++depth > MAX_DEPTH) fail(`expression nested deeper than ${MAX_DEPTH}`);
    const node = or();
    depth--;
    return node;
  };

  function postfix(): ExprNode {
    let node = primary();
    for (;;) {
      const t = peek();
      if (isOp(".")) {
        at++;
        const key = peek();
        if (key.kind !== "name") fail('expected a field name after "."');
        at++;
        node = { kind: "member", object: node, key: { kind: "literal", value: key.text }, pos: t.pos };
      } else if (isOp("[")) {
        at++;
        const key = expression();
        expect("]");
        node = { kind: "member", object: node, key, pos: t.pos };
      } else return node;
    }
  }

  function primary(): ExprNode {
    const t = tokens[at++];
    if (t.kind === "num" || t.kind === "str") return { kind: "literal", value: t.value ?? null };
    if (t.kind === "op" && t.text === "(") {
      const node = expression();
      expect(")");
      return node;
    }
    if (t.kind === "op" && t.text === "[") {
      const items: ExprNode[] = [];
      while (!isOp("]")) {
        items.push(expression());
        if (!isOp("]")) expect(",");
      }
      at++;
      return { kind: "array", items };
    }
    if (t.kind === "op" && t.text === "#") {
      if (predicates === 0)
        throw new ExpressionError(
          `# at ${t.pos} names a list element only inside a {predicate}, e.g. all(result, {# < 0.01})`,
          t.pos,
        );
      return { kind: "element", pos: t.pos };
    }
    if (t.kind === "name") {
      if (t.text === "true" || t.text === "false") return { kind: "literal", value: t.text === "true" };
      if (t.text === "nil" || t.text === "null") return { kind: "literal", value: null };
      if (t.text === "result") return { kind: "result" };
      if (isOp("(")) return call(t);
      throw new ExpressionError(
        `unknown name ${JSON.stringify(t.text)} at ${t.pos}; conditions read \`result\``,
        t.pos,
      );
    }
    return fail("expected a value", t);
  }

  function call(name: Token): ExprNode {
    const style = FUNCTIONS[name.text];
    if (!style)
      throw new ExpressionError(
        `unknown function ${JSON.stringify(name.text)} at ${name.pos}; known: ${Object.keys(FUNCTIONS).join(", ")}`,
        name.pos,
      );
    expect("(");
    const args: ExprNode[] = [];
    while (!isOp(")")) {
      if (style === "predicate" && args.length === 1) {
        const open = peek();
        expect("{");
        predicates++;
        args.push({ kind: "predicate", body: expression(), pos: open.pos });
        predicates--;
        expect("}");
      } else args.push(expression());
      if (!isOp(")")) expect(",");
    }
    at++;
    if (style === "predicate" && args.length !== 2)
      throw new ExpressionError(
        `${name.text} takes a list and a {predicate}, e.g. ${name.text}(result, {# < 0.01}), at ${name.pos}`,
        name.pos,
      );
    return { kind: "call", name: name.text, args, pos: name.pos };
  }

  const node = expression();
  if (peek().kind !== "end") fail("unexpected text");
  return node;
}
