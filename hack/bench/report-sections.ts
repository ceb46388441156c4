// Several benchmarks write one report (bench/deploy.md), each owning the sections under its own
// headings. A bench's run replaces exactly its block, from its first heading to the next heading that
// is not one of its own, and keeps everything before and after; a block not there yet is appended.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes `text` into the report at `path` in place of the block whose headings start with one of
 * `own` (for example `["## Over SSH:"]`). A new file starts with `title`.
 */
export function writeSections(path: string, own: readonly string[], text: string, title: string): void {
  const old = existsSync(path) ? readFileSync(path, "utf8") : `${title}\n`;
  const lines = old.trimEnd().split("\n");
  const isOwn = (line: string) => own.some((heading) => line.startsWith(heading));
  const block = text.trimEnd().split("\n");
  const start = lines.findIndex(isOwn);
  let out: string[];
  if (start < 0) out = [...lines, "", ...block];
  else {
    let end = start + 1;
    while (end < lines.length && !(/^#{1,2} /.test(lines[end]) && !isOwn(lines[end]))) end++;
    out = [...lines.slice(0, start), ...block, ...(end < lines.length ? ["", ...lines.slice(end)] : [])];
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${out.join("\n")}\n`);
}
