// Checks on a decoded request body before any other code walks it. Everything downstream
// (validation, managed fields, merge and apply, jsonb in PostgreSQL) recurses over the object,
// so nesting is bounded here, once, for every content type; and text PostgreSQL can not hold
// (NUL, lone UTF-16 surrogates) is refused with the field that holds it instead of failing in SQL.
import { badRequest } from "../../crds/errors.ts";
import { formatFieldPath } from "../../crds/validate.ts";

/**
 * The deepest nesting a body may have. Stella's deepest kinds (with their managedFields, which
 * mirror the object) stay far below it; kube-apiserver's JSON decoder stops at 10000 but runs
 * on goroutine stacks that grow, where ours would overflow.
 */
export const MAX_BODY_DEPTH = 100;

const NUL = "\u0000";
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Node = { value: unknown; depth: number; key?: string | number; parent?: Node };

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: Node | undefined = node; n?.parent; n = n.parent) path.unshift(n.key!);
  return path;
}

function unstorable(s: string): string | undefined {
  if (s.includes(NUL)) return "may not contain the NUL character (\\u0000)";
  if (LONE_SURROGATE.test(s)) return "may not contain an unpaired UTF-16 surrogate";
  return undefined;
}

const refuse = (node: Node, message: string) => {
  const field = formatFieldPath(pathOf(node)) || "body";
  return badRequest(`${field}: ${message}`, [{ reason: "FieldValueInvalid", message, field }]);
};

/** Throws 400 naming the field when `body` nests deeper than MAX_BODY_DEPTH or holds unstorable text. */
export function checkBodyShape(body: unknown): void {
  // Iterative, so the check itself can not overflow the stack it protects.
  const stack: Node[] = [{ value: body, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value, depth } = node;
    if (typeof value === "string") {
      const why = unstorable(value);
      if (why) throw refuse(node, why);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_BODY_DEPTH) throw refuse(node, `nested more than ${MAX_BODY_DEPTH} levels deep`);
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, depth: depth + 1, key: i, parent: node }));
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      const why = unstorable(k);
      if (why) throw refuse({ value: k, depth, key: "(key)", parent: node }, `a key ${why}`);
      stack.push({ value: v, depth: depth + 1, key: k, parent: node });
    }
  }
}
