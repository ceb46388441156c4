// The JSONPath subset the web metric provider reads values with, in the Kubernetes form (braces
// optional): `{$.data.errorRate}`, `$.items[0].value`, `$['error-rate']`, `$.items[*].value`,
// `$.items[-1]`. A path with a wildcard selects a list; without one, a single value.
import { InvalidJsonPath } from "./errors.ts";

type Segment = { kind: "key"; key: string } | { kind: "index"; index: number } | { kind: "all" };

/** A parsed path. */
export interface JsonPath {
  text: string;
  segments: Segment[];
  /** No wildcard: the path names at most one value. */
  definite: boolean;
}

/** Parses `text`; throws InvalidJsonPath for anything outside the subset. */
export function parseJsonPath(text: string): JsonPath {
  let s = text.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1).trim();
  if (s.startsWith("$")) s = s.slice(1);
  else if (s && !s.startsWith(".") && !s.startsWith("[")) s = `.${s}`;
  const segments: Segment[] = [];
  let i = 0;
  const bad = (what: string) => new InvalidJsonPath(text, `JSONPath ${JSON.stringify(text)}: ${what} at ${i}`);
  while (i < s.length) {
    if (s.startsWith("..", i)) throw bad("recursive descent (..) is not supported");
    if (s[i] === ".") {
      const m = /^(\*|[A-Za-z_$][\w$-]*)/.exec(s.slice(i + 1));
      if (!m) throw bad("expected a field name after '.'");
      segments.push(m[1] === "*" ? { kind: "all" } : { kind: "key", key: m[1] });
      i += 1 + m[0].length;
    } else if (s[i] === "[") {
      const rest = s.slice(i);
      const m = /^\[\s*(?:(\*)|(-?\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
      if (!m) throw bad("expected [n], [*] or ['name']");
      if (m[1]) segments.push({ kind: "all" });
      else if (m[2] !== undefined) segments.push({ kind: "index", index: Number(m[2]) });
      else segments.push({ kind: "key", key: (m[3] ?? m[4]).replace(/\\(.)/g, "$1") });
      i += m[0].length;
    } else throw bad(`unexpected ${JSON.stringify(s[i])}`);
  }
  return { text, segments, definite: segments.every((seg) => seg.kind !== "all") };
}

/** Every value the path selects in `doc`, in document order (none when a step is missing). */
export function selectJsonPath(path: JsonPath, doc: unknown): unknown[] {
  let current: unknown[] = [doc];
  for (const seg of path.segments) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg.kind === "all") {
        if (Array.isArray(v)) next.push(...v);
        else if (v !== null && typeof v === "object") next.push(...Object.values(v));
      } else if (seg.kind === "index") {
        if (Array.isArray(v)) {
          const i = seg.index < 0 ? v.length + seg.index : seg.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, seg.key)) {
        next.push((v as Record<string, unknown>)[seg.key]);
      }
    }
    current = next;
  }
  return current;
}
