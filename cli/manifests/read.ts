// Reading the -f arguments of apply, delete and diff, all-or-nothing: when any document cannot be
// read (bad YAML, no kind, unknown kind), every problem is reported with its file and document
// number and the command does nothing.
import { UsageError } from "../command.ts";
import { reportError } from "../output/report.ts";
import { loadManifests, type Manifest } from "./load.ts";
import { originOf } from "./placement.ts";

/** The -f and -R flag definitions. */
export const filenameFlags = {
  filename: { type: "string", short: "f", multiple: true },
  recursive: { type: "boolean", short: "R" },
} as const;

/**
 * The manifests of the -f arguments, or undefined after reporting every unreadable document on
 * standard error (`verb` says what was not done, e.g. "nothing was applied").
 */
export async function readManifests(
  command: string,
  files: string[] | undefined,
  recursive: boolean | undefined,
  verb: string,
): Promise<Manifest[] | undefined> {
  if (!files?.length) throw new UsageError("give manifests with -f FILE, -f DIRECTORY or -f - (standard input)");
  const { manifests, problems } = await loadManifests(files, !!recursive);
  if (problems.length > 0) {
    for (const p of problems) reportError(command, `${originOf(p)}: ${p.message}`);
    reportError(
      command,
      `${verb}: ${problems.length === 1 ? "a document" : `${problems.length} documents`} could not be read`,
    );
    return undefined;
  }
  if (manifests.length === 0) throw new UsageError(`no objects in ${files.join(", ")}`);
  return manifests;
}
