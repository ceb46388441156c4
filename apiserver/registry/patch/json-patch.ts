// JSON patch (RFC 6902): an ordered list of operations applied atomically. The whole list is
// checked for shape first (a malformed document is a 400); then the operations run one by one on a
// private copy, and the first that cannot apply fails the patch (a 422) with nothing changed.
import { PatchError } from "./errors.ts";
import { arrayIndex, parsePointer } from "./json-pointer.ts";
import { cloneJson, deepEqual, isPlainObject, setMember } from "./json-value.ts";

/** One RFC 6902 operation. */
export type JsonPatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

interface Parsed {
  op: JsonPatchOperation["op"];
  path: string;
  tokens: string[];
  from?: string;
  fromTokens?: string[];
  value?: unknown;
}

const OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);

/** Checks the shape of a JSON patch document and parses its pointers; throws a Malformed PatchError. */
export function parseJsonPatch(ops: unknown): JsonPatchOperation[] {
  return validate(ops).map(({ op, path, from, value }) =>
    op === "remove" ? { op, path } : op === "move" || op === "copy" ? { op, from: from!, path } : { op, path, value },
  );
}

function validate(ops: unknown): Parsed[] {
  if (!Array.isArray(ops))
    throw new PatchError("Malformed", undefined, undefined, "", "a JSON patch must be an array of operations");
  return ops.map((raw, i): Parsed => {
    const bad = (detail: string, op?: string, path = "") => new PatchError("Malformed", i, op, path, detail);
    if (!isPlainObject(raw)) throw bad("an operation must be an object");
    const { op, path, from } = raw;
    if (typeof op !== "string") throw bad('missing "op"');
    if (!OPS.has(op)) throw bad(`unknown operation ${JSON.stringify(op)}`, op);
    if (typeof path !== "string") throw bad('missing "path"', op);
    const tokens = parsePointer(path);
    if (!tokens) throw bad(`invalid JSON pointer ${JSON.stringify(path)}`, op, path);
    const parsed: Parsed = { op: op as Parsed["op"], path, tokens };
    if (op === "add" || op === "replace" || op === "test") {
      if (!Object.hasOwn(raw, "value") || raw.value === undefined) throw bad('missing "value"', op, path);
      parsed.value = raw.value;
    }
    if (op === "move" || op === "copy") {
      if (typeof from !== "string") throw bad('missing "from"', op, path);
      const fromTokens = parsePointer(from);
      if (!fromTokens) throw bad(`invalid JSON pointer ${JSON.stringify(from)} in "from"`, op, path);
      Object.assign(parsed, { from, fromTokens });
    }
    return parsed;
  });
}

type Lookup = { found: true; value: unknown } | { found: false; why: string };

function get(doc: unknown, tokens: readonly string[]): Lookup {
  let node = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      const i = arrayIndex(token);
      if (i === undefined || i >= node.length)
        return {
          found: false,
          why: i === undefined ? `invalid array index ${JSON.stringify(token)}` : `array index ${i} out of range`,
        };
      node = node[i];
    } else if (isPlainObject(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      return { found: false, why: "no value at this path" };
    }
  }
  return { found: true, value: node };
}

/** The container holding the last token, or why there is none. */
function parentOf(doc: unknown, tokens: readonly string[]): { parent: unknown } | { why: string } {
  const found = get(doc, tokens.slice(0, -1));
  if (!found.found) return { why: `parent path does not exist (${found.why})` };
  if (!Array.isArray(found.value) && !isPlainObject(found.value))
    return { why: "parent is neither an object nor an array" };
  return { parent: found.value };
}

/** Applies the operations in order to a copy of `doc` and returns it; `doc` is never mutated. Throws PatchError. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const parsed = validate(ops);
  let root = cloneJson(doc);
  parsed.forEach((op, i) => {
    const fail = (detail: string) => new PatchError("Failed", i, op.op, op.path, detail);
    const mustGet = (tokens: string[]) => {
      const found = get(root, tokens);
      if (!found.found) throw fail(found.why);
      return found.value;
    };
    const add = (tokens: string[], value: unknown) => {
      if (tokens.length === 0) return void (root = value);
      const at = parentOf(root, tokens);
      if ("why" in at) throw fail(at.why);
      const last = tokens[tokens.length - 1];
      if (!Array.isArray(at.parent)) return setMember(at.parent as Record<string, unknown>, last, value);
      const index = last === "-" ? at.parent.length : arrayIndex(last);
      if (index === undefined) throw fail(`invalid array index ${JSON.stringify(last)}`);
      if (index > at.parent.length) throw fail(`array index ${index} out of range`);
      at.parent.splice(index, 0, value);
    };
    const remove = (tokens: string[]) => {
      mustGet(tokens);
      if (tokens.length === 0) return void (root = undefined);
      const { parent } = parentOf(root, tokens) as { parent: unknown };
      const last = tokens[tokens.length - 1];
      if (Array.isArray(parent)) parent.splice(arrayIndex(last)!, 1);
      else delete (parent as Record<string, unknown>)[last];
    };
    switch (op.op) {
      case "add":
        return add(op.tokens, cloneJson(op.value));
      case "remove":
        if (op.tokens.length === 0) throw fail("cannot remove the whole document");
        return remove(op.tokens);
      case "replace":
        mustGet(op.tokens);
        if (op.tokens.length > 0) remove(op.tokens);
        return add(op.tokens, cloneJson(op.value));
      case "move": {
        const value = get(root, op.fromTokens!);
        if (!value.found) throw fail(`"from" ${op.from}: ${value.why}`);
        if (op.from === op.path) return;
        if (op.path.startsWith(op.from + "/")) throw fail(`cannot move ${op.from} into one of its own children`);
        remove(op.fromTokens!);
        return add(op.tokens, value.value);
      }
      case "copy": {
        const value = get(root, op.fromTokens!);
        if (!value.found) throw fail(`"from" ${op.from}: ${value.why}`);
        return add(op.tokens, cloneJson(value.value));
      }
      case "test":
        if (!deepEqual(mustGet(op.tokens), op.value)) throw fail("value does not match");
        return;
    }
  });
  return root;
}
