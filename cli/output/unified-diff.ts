// A unified diff (`diff -u`) of two texts by lines: longest common subsequence, hunks with
// three lines of context, GNU diff's hunk headers.

type Op = { type: " " | "-" | "+"; line: string };

/** The edit script from `a` to `b` (common lines kept, then deletions before insertions). */
export function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ type: " ", line }));
  const n = endA - start;
  const m = endB - start;
  if (n * m > 20_000_000) {
    ops.push(
      ...a.slice(start, endA).map((line) => ({ type: "-" as const, line })),
      ...b.slice(start, endB).map((line) => ({ type: "+" as const, line })),
    );
  } else {
    // lcs[i * (m + 1) + j]: length of the LCS of a[start+i..endA) and b[start+j..endB).
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * (m + 1) + j] =
          a[start + i] === b[start + j]
            ? lcs[(i + 1) * (m + 1) + j + 1] + 1
            : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        ops.push({ type: " ", line: a[start + i] });
        i++;
        j++;
      } else if (j >= m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]))
        ops.push({ type: "-", line: a[start + i++] });
      else ops.push({ type: "+", line: b[start + j++] });
    }
  }
  ops.push(...a.slice(endA).map((line) => ({ type: " " as const, line })));
  return ops;
}

const range = (start: number, len: number) => (len === 1 ? `${start}` : `${len === 0 ? start - 1 : start},${len}`);

/** Options of unifiedDiff. */
export interface DiffOptions {
  fromLabel: string;
  toLabel: string;
  context?: number;
  /** Colours the -/+ lines and hunk headers. */
  paint?: { red(s: string): string; green(s: string): string; cyan(s: string): string };
}

/** The unified diff of two texts; "" when they are equal. */
export function unifiedDiff(from: string, to: string, opts: DiffOptions): string {
  const split = (s: string) => (s === "" ? [] : s.replace(/\n$/, "").split("\n"));
  const ops = diffLines(split(from), split(to));
  const ctx = opts.context ?? 3;
  const changed = ops.map((o, i) => (o.type === " " ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return "";
  const p = opts.paint ?? { red: (s: string) => s, green: (s: string) => s, cyan: (s: string) => s };
  const out = [p.red(`--- ${opts.fromLabel}`), p.green(`+++ ${opts.toLabel}`)];
  let k = 0;
  while (k < changed.length) {
    let last = k;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] - 1 <= 2 * ctx) last++;
    const lo = Math.max(0, changed[k] - ctx);
    const hi = Math.min(ops.length - 1, changed[last] + ctx);
    // Line numbers where the hunk starts in each text.
    let aLine = 1;
    let bLine = 1;
    for (let i = 0; i < lo; i++) {
      if (ops[i].type !== "+") aLine++;
      if (ops[i].type !== "-") bLine++;
    }
    const hunk = ops.slice(lo, hi + 1);
    const aLen = hunk.filter((o) => o.type !== "+").length;
    const bLen = hunk.filter((o) => o.type !== "-").length;
    out.push(p.cyan(`@@ -${range(aLine, aLen)} +${range(bLine, bLen)} @@`));
    for (const o of hunk)
      out.push(o.type === "-" ? p.red(`-${o.line}`) : o.type === "+" ? p.green(`+${o.line}`) : ` ${o.line}`);
    k = last + 1;
  }
  return out.join("\n") + "\n";
}
