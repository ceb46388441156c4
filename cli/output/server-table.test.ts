import { test } from "node:test";
import assert from "node:assert/strict";
import { cellText, headerCells, isTable, rowCells, type ServerTable } from "./server-table.ts";

const table: ServerTable = {
  kind: "Table",
  metadata: { resourceVersion: "7" },
  columnDefinitions: [
    { name: "Name", type: "string", format: "name" },
    { name: "Phase", type: "string" },
    { name: "Upstream", type: "string", priority: 1 },
    { name: "Age", type: "date" },
  ],
  rows: [
    {
      cells: ["prod", "Ready", "staging", "3m"],
      object: { metadata: { name: "prod", namespace: "shop", labels: { tier: "p" } } },
    },
  ],
};

test("priority columns only with wide; NAMESPACE first with -A; LABELS last", () => {
  assert.deepEqual(headerCells(table.columnDefinitions, {}), ["NAME", "PHASE", "AGE"]);
  assert.deepEqual(headerCells(table.columnDefinitions, { wide: true }), ["NAME", "PHASE", "UPSTREAM", "AGE"]);
  assert.deepEqual(headerCells(table.columnDefinitions, { namespaceColumn: true, showLabels: true }), [
    "NAMESPACE",
    "NAME",
    "PHASE",
    "AGE",
    "LABELS",
  ]);
  assert.deepEqual(rowCells(table.columnDefinitions, table.rows[0], { namespaceColumn: true, showLabels: true }), [
    "shop",
    "prod",
    "Ready",
    "3m",
    "tier=p",
  ]);
  assert.deepEqual(
    rowCells(table.columnDefinitions, table.rows[0], { wide: true, namePrefix: "environment.release.stella.io/" }),
    ["environment.release.stella.io/prod", "Ready", "staging", "3m"],
  );
});

test("cells: null is empty, lists are comma-separated", () => {
  assert.equal(cellText(null), "");
  assert.equal(cellText(3), "3");
  assert.equal(cellText(["a", "b"]), "a,b");
  assert.ok(isTable(table));
  assert.ok(!isTable({ kind: "Environment" }));
});
