// `stella version`: the client's version.
import { readFile } from "node:fs/promises";
import type { Command } from "./command.ts";

/** `stella version`. */
export const versionCommand: Command = {
  name: "version",
  summary: "Print the client version",
  help: `Print the stella client version.

Usage: stella version

Example:
  stella version`,
  async run() {
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`stella ${pkg.version}\n`);
    return 0;
  },
};
