// Printing `get -w` as it streams: table rows aligned with the columns of the first lines
// (a wider cell grows its column from then on), or one document per event in -o formats.
import type { KindInfo } from "../../crds/scheme-types.ts";
import { alignLine, columnWidths } from "../output/columns.ts";
import { formatObjects, type OutputFormat } from "../output/objects.ts";
import { headerCells, rowCells, type ServerTable, type TableColumn, type TableView } from "../output/server-table.ts";

/** Prints a watch's lists and events to `write`. */
export class WatchPrinter {
  private columns: TableColumn[] = [];
  private widths: number[] | undefined;
  private documents = 0;

  constructor(
    private readonly info: KindInfo,
    private readonly format: OutputFormat,
    private readonly view: TableView & { noHeaders?: boolean },
    private readonly write: (s: string) => void = (s) => process.stdout.write(s),
  ) {}

  /** Prints the rows of a Table (the list, or one watch event), the header first if not printed yet. */
  table(t: ServerTable): void {
    if (t.columnDefinitions.length > 0 && this.columns.length === 0) this.columns = t.columnDefinitions;
    const lines = t.rows.map((r) => rowCells(this.columns, r, this.view));
    if (lines.length === 0) return;
    if (!this.widths) {
      const header = this.view.noHeaders ? [] : [headerCells(this.columns, this.view)];
      this.widths = columnWidths([...header, ...lines]);
      lines.unshift(...header);
    }
    for (const cells of lines) this.write(alignLine(cells, this.widths) + "\n");
  }

  /** Remembers a Table's columns without printing rows (--watch-only). */
  columnsOf(t: ServerTable): void {
    if (t.columnDefinitions.length > 0) this.columns = t.columnDefinitions;
  }

  /** Prints objects in the -o format, one document each. */
  objects(objects: Record<string, unknown>[]): void {
    for (const object of objects) {
      let text = formatObjects([{ info: this.info, object }], this.format, { single: true });
      if (this.format.kind === "yaml" && this.documents > 0) text = "---\n" + text;
      if (this.format.kind === "jsonpath" && !text.endsWith("\n")) text += "\n";
      this.documents++;
      this.write(text);
    }
  }
}
