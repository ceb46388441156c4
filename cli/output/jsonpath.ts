// kubectl's `-o jsonpath=TEMPLATE`: text with `{expr}` blocks, where expr is a path
// (`.items[*].metadata.name`, `.a[0]`, `[?(@.type=="Ready")]`), `range EXPR` ... `end`, or a
// quoted literal such as `"\n"`. Multiple results of one expression are joined by spaces.
import { UsageError } from "../command.ts";

type Node = { text: string } | { path: string } | { range: string; body: Node[] };

function tokenize(template: string): Node[] {
  const stack: { body: Node[]; range?: string }[] = [{ body: [] }];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open < 0) {
      stack.at(-1)!.body.push({ text: template.slice(i) });
      break;
    }
    if (open > i) stack.at(-1)!.body.push({ text: template.slice(i, open) });
    const close = template.indexOf("}", open);
    if (close < 0) throw new UsageError(`jsonpath: unclosed "{" in ${JSON.stringify(template)}`);
    const expr = template.slice(open + 1, close).trim();
    i = close + 1;
    if (expr.startsWith("range ")) stack.push({ body: [], range: expr.slice(6).trim() });
    else if (expr === "end") {
      const done = stack.pop();
      if (!done?.range || stack.length === 0)
        throw new UsageError(`jsonpath: {end} without {range} in ${JSON.stringify(template)}`);
      stack.at(-1)!.body.push({ range: done.range, body: done.body });
    } else if (/^".*"$/.test(expr) || /^'.*'$/.test(expr))
      stack.at(-1)!.body.push({ text: JSON.parse(`"${expr.slice(1, -1).replace(/"/g, '\\"')}"`) });
    else stack.at(-1)!.body.push({ path: expr });
  }
  if (stack.length !== 1) throw new UsageError(`jsonpath: {range} without {end} in ${JSON.stringify(template)}`);
  return stack[0].body;
}

/** Evaluates a path against a value; returns every match. */
export function evaluatePath(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  const p = path.startsWith("$") ? path.slice(1) : path;
  const re =
    /\.\.([A-Za-z0-9_-]+)|\.([A-Za-z0-9_\-/]+)|\['([^']+)'\]|\[(-?\d+)\]|\[\*\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*(==|!=)\s*["']?([^"')]*)["']?\)\]|(\.)/g;
  for (const m of p.matchAll(re)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (m[1] !== undefined) next.push(...deepFind(v, m[1]));
      else if (m[2] !== undefined || m[3] !== undefined) {
        const key = m[2] ?? m[3];
        if (v && typeof v === "object" && !Array.isArray(v) && key in v) next.push((v as Record<string, unknown>)[key]);
      } else if (m[4] !== undefined) {
        if (Array.isArray(v)) {
          const idx = Number(m[4]);
          const item = v[idx < 0 ? v.length + idx : idx];
          if (item !== undefined) next.push(item);
        }
      } else if (m[5] !== undefined) {
        if (Array.isArray(v))
          next.push(...v.filter((item) => (String(evaluatePath(item, "." + m[5])[0]) === m[7]) === (m[6] === "==")));
      } else if (m[8] !== undefined) next.push(v);
      else if (Array.isArray(v)) next.push(...v);
      else if (v && typeof v === "object") next.push(...Object.values(v));
    }
    current = next;
  }
  return current;
}

function deepFind(v: unknown, key: string): unknown[] {
  if (!v || typeof v !== "object") return [];
  const out: unknown[] = [];
  if (!Array.isArray(v) && key in v) out.push((v as Record<string, unknown>)[key]);
  for (const child of Object.values(v)) out.push(...deepFind(child, key));
  return out;
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function render(nodes: Node[], value: unknown): string {
  let out = "";
  for (const n of nodes) {
    if ("text" in n) out += n.text;
    else if ("path" in n) out += evaluatePath(value, n.path).map(show).join(" ");
    else for (const item of evaluatePath(value, n.range)) out += render(n.body, item);
  }
  return out;
}

/** Renders a jsonpath template against an object (or a List). */
export function jsonpath(template: string, value: unknown): string {
  return render(tokenize(template), value);
}
