import { test } from "node:test";
import assert from "node:assert/strict";
import { environmentKind } from "../../crds/environment.ts";
import type { ServerTable } from "../output/server-table.ts";
import { WatchPrinter } from "./watch-printer.ts";

const table = (rows: [string, string][], withColumns = true): ServerTable => ({
  kind: "Table",
  metadata: {},
  columnDefinitions: withColumns
    ? [
        { name: "Name", type: "string", format: "name" },
        { name: "Age", type: "date" },
      ]
    : [],
  rows: rows.map((cells) => ({ cells, object: { metadata: { namespace: "shop" } } })),
});

test("the header comes once, events reuse the list's columns and widths", () => {
  const out: string[] = [];
  const p = new WatchPrinter(environmentKind, { kind: "table" }, {}, (s) => out.push(s));
  p.table(
    table([
      ["dev", "1s"],
      ["staging", "2s"],
    ]),
  );
  p.table(table([["dev", "5s"]], false));
  assert.deepEqual(out, ["NAME      AGE\n", "dev       1s\n", "staging   2s\n", "dev       5s\n"]);
});

test("--watch-only: the header comes with the first event; -A adds NAMESPACE", () => {
  const out: string[] = [];
  const p = new WatchPrinter(environmentKind, { kind: "table" }, { namespaceColumn: true }, (s) => out.push(s));
  p.columnsOf(table([]));
  p.table(table([["prod", "0s"]], false));
  assert.deepEqual(out, ["NAMESPACE   NAME   AGE\n", "shop        prod   0s\n"]);
});

test("yaml documents are separated; names one per line", () => {
  const out: string[] = [];
  const p = new WatchPrinter(environmentKind, { kind: "yaml" }, {}, (s) => out.push(s));
  p.objects([{ metadata: { name: "a" } }, { metadata: { name: "b" } }]);
  assert.deepEqual(out, ["metadata:\n  name: a\n", "---\nmetadata:\n  name: b\n"]);
  const names: string[] = [];
  new WatchPrinter(environmentKind, { kind: "name" }, {}, (s) => names.push(s)).objects([{ metadata: { name: "a" } }]);
  assert.deepEqual(names, ["environment.release.stella.io/a\n"]);
});
