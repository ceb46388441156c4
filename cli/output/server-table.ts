// The Table the server renders for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, and
// how `get` turns it into lines: priority-0 columns (all with -o wide), a NAMESPACE column for
// -A, LABELS for --show-labels, and `kind.group/name` names when several kinds are printed.

/** The Accept header that asks the server for a Table. */
export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

/** One column definition of a Table. */
export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  priority?: number;
}

/** One row of a Table; `object` is the row's object metadata (PartialObjectMetadata by default). */
export interface TableRow {
  cells: unknown[];
  object?: {
    metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string };
  };
}

/** A meta.k8s.io/v1 Table. */
export interface ServerTable {
  kind: "Table";
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

/** How to print a table. */
export interface TableView {
  /** -o wide: include columns of priority > 0. */
  wide?: boolean;
  /** -A: a NAMESPACE column first. */
  namespaceColumn?: boolean;
  /** --show-labels: a LABELS column last. */
  showLabels?: boolean;
  /** Prefix of names, e.g. `environment.release.stella.io/` when several kinds are listed. */
  namePrefix?: string;
}

/** Whether a value looks like a Table. */
export const isTable = (v: unknown): v is ServerTable =>
  !!v &&
  typeof v === "object" &&
  (v as { kind?: unknown }).kind === "Table" &&
  Array.isArray((v as { rows?: unknown }).rows);

const shown = (columns: TableColumn[], view: TableView) =>
  columns.map((c, i) => ({ c, i })).filter(({ c }) => view.wide || !c.priority);

/** The header cells of a table. */
export function headerCells(columns: TableColumn[], view: TableView): string[] {
  const cells = shown(columns, view).map(({ c }) => c.name.toUpperCase());
  if (view.namespaceColumn) cells.unshift("NAMESPACE");
  if (view.showLabels) cells.push("LABELS");
  return cells;
}

/** A cell as text: nothing for null, numbers and booleans as written, lists comma-separated. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(cellText).join(",");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** The cells of one row. */
export function rowCells(columns: TableColumn[], row: TableRow, view: TableView): string[] {
  const cells = shown(columns, view).map(({ c, i }) => {
    const text = cellText(row.cells[i]);
    return c.format === "name" && view.namePrefix ? view.namePrefix + text : text;
  });
  if (view.namespaceColumn) cells.unshift(row.object?.metadata?.namespace ?? "");
  if (view.showLabels) {
    const labels = Object.entries(row.object?.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    cells.push(labels.length ? labels.join(",") : "<none>");
  }
  return cells;
}
