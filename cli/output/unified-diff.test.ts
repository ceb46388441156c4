import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffLines, unifiedDiff } from "./unified-diff.ts";

const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`) =>
  Array.from({ length: n }, (_, i) => f(i + 1)).join("\n") + "\n";

test("equal texts have no diff", () => {
  assert.equal(unifiedDiff("a\nb\n", "a\nb\n", { fromLabel: "a", toLabel: "b" }), "");
});

test("one changed line gives one hunk with three lines of context", () => {
  const a = lines(10);
  const b = a.replace("line 5\n", "line five\n");
  assert.equal(
    unifiedDiff(a, b, { fromLabel: "live/x", toLabel: "merged/x" }),
    "--- live/x\n+++ merged/x\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n",
  );
});

test("hunks match GNU diff -u on additions, deletions and distant changes", () => {
  const dir = mkdtempSync(join(tmpdir(), "udiff-"));
  const cases: [string, string][] = [
    [lines(30), lines(30, (i) => (i === 2 || i === 25 ? `changed ${i}` : `line ${i}`))],
    [lines(5), lines(5) + "added\n"],
    ["", "new\nfile\n"],
    [lines(8), lines(8).replace("line 1\n", "").replace("line 8\n", "")],
    [lines(20), lines(20, (i) => (i % 4 === 0 ? `x${i}` : `line ${i}`))],
  ];
  for (const [a, b] of cases) {
    writeFileSync(join(dir, "a"), a);
    writeFileSync(join(dir, "b"), b);
    let expected = "";
    try {
      execFileSync("diff", ["-u", join(dir, "a"), join(dir, "b")]);
    } catch (err) {
      expected = String((err as { stdout: Buffer }).stdout);
    }
    const body = (s: string) => s.split("\n").slice(2).join("\n");
    assert.equal(
      body(unifiedDiff(a, b, { fromLabel: "a", toLabel: "b" })),
      body(expected),
      `a=${JSON.stringify(a)} b=${JSON.stringify(b)}`,
    );
  }
});

test("the edit script keeps every common line", () => {
  const ops = diffLines(["a", "b", "c", "d"], ["a", "x", "c", "d", "e"]);
  assert.deepEqual(
    ops.map((o) => o.type + o.line),
    [" a", "-b", "+x", " c", " d", "+e"],
  );
});
