// The JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[*].b` and
// `.status.conditions[?(@.type=="Ready")].status`.

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string } };

function parse(path: string): Step[] {
  const steps: Step[] = [];
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\*\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*["']([^"']*)["']\)\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ filter: { path: m[3].split("."), value: m[4] } });
    else steps.push({ all: true });
  }
  return steps;
}

const dig = (v: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (cur, p) => (cur && typeof cur === "object" ? (cur as Record<string, unknown>)[p] : undefined),
    v,
  );

/** Evaluates a column path; returns every match (filters and [*] may match several). */
export function evaluate(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const step of parse(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if ("field" in step) {
        if (v && typeof v === "object" && !Array.isArray(v) && step.field in v)
          next.push((v as Record<string, unknown>)[step.field]);
      } else if ("index" in step) {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else if ("all" in step) {
        if (Array.isArray(v)) next.push(...v);
      } else if (Array.isArray(v))
        next.push(...v.filter((item) => String(dig(item, step.filter.path)) === step.filter.value));
    }
    current = next;
  }
  return current;
}

/** Renders a column's matches as one cell: scalars as they are, several joined by commas. */
export function cellValue(obj: unknown, path: string): unknown {
  const found = evaluate(obj, path).filter((v) => v !== undefined && v !== null);
  if (found.length === 0) return null;
  if (found.length === 1) return typeof found[0] === "object" ? JSON.stringify(found[0]) : found[0];
  return found.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(",");
}
