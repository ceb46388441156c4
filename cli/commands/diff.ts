// `stella diff -f`: what apply would change, as a unified diff of the live objects against the
// server's dry run of the apply. kubectl's exit codes: 0 no differences, 1 differences, >1 an
// error (here 2).
import { isNotFound } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { groupOf, versionOf } from "../../crds/scheme.ts";
import { applyObject } from "../apply/apply-object.ts";
import { parseFlags } from "../args.ts";
import { UsageError, type Command } from "../command.ts";
import { objectFailure } from "../manifests/object-failure.ts";
import { place, type Placed } from "../manifests/placement.ts";
import { filenameFlags, readManifests } from "../manifests/read.ts";
import { stdoutPalette } from "../output/color.ts";
import { toYaml, withoutManagedFields } from "../output/objects.ts";
import { reportError } from "../output/report.ts";
import { unifiedDiff } from "../output/unified-diff.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  ...filenameFlags,
  "server-side": { type: "boolean" },
  "force-conflicts": { type: "boolean" },
  "field-manager": { type: "string" },
} as const;

const ERROR_EXIT = 2;

/** `release.stella.io.v1alpha1.Environment.shop.dev`: the file name kubectl diff gives an object. */
const diffId = (p: Placed) =>
  [groupOf(p.info), versionOf(p.info), p.info.kind, p.namespace ?? "", p.name].filter((s, i) => i !== 0 || s).join(".");

const asText = (obj: StellaObject | undefined) => (obj ? toYaml(withoutManagedFields(obj)) : "");

/** `stella diff`. */
export const diffCommand: Command = {
  name: "diff",
  summary: "Show what apply would change (exit 1 when something would)",
  options,
  errorExitCode: ERROR_EXIT,
  help: `Show what "stella apply" would change: each object as it is live against the server's dry run
of the apply (defaults and validation included), as a unified diff. Nothing is stored.

Exit status: 0 no differences, 1 differences, 2 an error (a manifest the server rejects, an
unreachable server, ...).

Usage: stella diff -f FILE|DIR|- [-R] [--server-side [--force-conflicts]]

Flags:
  -f, --filename PATH    manifests: a file, a directory, or - for standard input (repeatable)
  -R, --recursive        read directories recursively
  --server-side          compare against a server-side apply instead of client-side apply
  --force-conflicts      with --server-side: as if taking over fields other managers own
  --field-manager NAME   the manager the dry run applies as

${CONNECTION_HELP}

Examples:
  stella diff -f ../shared/examples/estate.yaml
  stella diff -f manifests/ -R && echo "nothing to apply"`,
  async run(argv) {
    const { values } = parseFlags(argv, options);
    const serverSide = !!values["server-side"];
    if (values["force-conflicts"] && !serverSide)
      throw new UsageError("--force-conflicts only applies with --server-side");
    const manifests = await readManifests("diff", values.filename, values.recursive, "no diff");
    if (!manifests) return ERROR_EXIT;
    const session = await Session.open(values);
    const opts = {
      serverSide,
      force: !!values["force-conflicts"],
      dryRun: "server" as const,
      fieldManager: values["field-manager"] ?? (serverSide ? "stella" : "stella-client-side-apply"),
    };
    const paint = stdoutPalette();
    let differences = 0;
    let errors = 0;
    try {
      for (const m of manifests) {
        let live: StellaObject | undefined;
        let merged: StellaObject;
        let p: Placed;
        try {
          p = place(m, session);
          live = await session.client
            .resource(p.info)
            .get(p.name, { namespace: p.namespace })
            .catch((err: unknown) => {
              if (isNotFound(err)) return undefined;
              throw err;
            });
          merged = (await applyObject(session.client, p, opts)).object;
        } catch (err) {
          errors++;
          reportError("diff", objectFailure(m, err, serverSide));
          continue;
        }
        const id = diffId(p);
        const text = unifiedDiff(asText(live), asText(merged), {
          fromLabel: `live/${id}`,
          toLabel: `merged/${id}`,
          paint,
        });
        if (!text) continue;
        differences++;
        process.stdout.write(`${paint.bold(`diff -u -N live/${id} merged/${id}`)}\n${text}`);
      }
    } finally {
      session.close();
    }
    return errors > 0 ? ERROR_EXIT : differences > 0 ? 1 : 0;
  },
};
