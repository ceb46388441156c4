// Aligned columns as kubectl's tabwriter prints them: each column as wide as its widest cell
// plus three spaces (at least six), the last column unpadded.

const PADDING = 3;
const MIN_WIDTH = 6;

/** Column widths for `lines` (rows of cells), the last column excluded. */
export function columnWidths(lines: string[][]): number[] {
  const widths: number[] = [];
  for (const cells of lines)
    cells.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? MIN_WIDTH, cell.length + PADDING);
    });
  return widths;
}

/** One line of cells padded to `widths`, growing `widths` in place for cells that do not fit. */
export function alignLine(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => {
      if (i === cells.length - 1) return cell;
      widths[i] = Math.max(widths[i] ?? MIN_WIDTH, cell.length + PADDING);
      return cell.padEnd(widths[i]);
    })
    .join("")
    .trimEnd();
}

/** Rows of cells as aligned text lines. */
export function alignColumns(lines: string[][]): string[] {
  const widths = columnWidths(lines);
  return lines.map((cells) => alignLine(cells, widths));
}
