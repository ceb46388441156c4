// `stella apply -f`: create or update every object of the manifests, client-side (three-way
// merge with the last-applied annotation) or --server-side. Unreadable manifests stop everything
// before the first write; an object the server rejects does not stop the others (kubectl's
// behaviour), and the run ends with a count and exit code 1.
import { isUnauthorized } from "../../crds/errors.ts";
import { ConnectionError } from "../../sdk/errors.ts";
import { applyObject, type Applied } from "../apply/apply-object.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { dryRunFlag, dryRunSuffix, parseDryRun } from "../dry-run.ts";
import { errorMessage } from "../error-message.ts";
import { place } from "../manifests/placement.ts";
import { filenameFlags, readManifests } from "../manifests/read.ts";
import { stdoutPalette } from "../output/color.ts";
import { formatObjects, objectName, parseOutput, type KindedObject } from "../output/objects.ts";
import { reportError } from "../output/report.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";
import { objectFailure } from "../manifests/object-failure.ts";

const options = {
  ...connectionFlags,
  ...filenameFlags,
  ...dryRunFlag,
  "server-side": { type: "boolean" },
  "force-conflicts": { type: "boolean" },
  "field-manager": { type: "string" },
  output: { type: "string", short: "o" },
} as const;

/** `stella apply`. */
export const applyCommand: Command = {
  name: "apply",
  summary: "Create or update objects from manifests (-f)",
  options,
  help: `Create or update the objects of YAML or JSON manifests, as kubectl apply does.

Usage: stella apply -f FILE|DIR|- [-R] [--server-side [--force-conflicts]] [--dry-run=server]

Client-side apply (the default) records each manifest in the
kubectl.kubernetes.io/last-applied-configuration annotation and sends a three-way merge patch:
fields you removed from the manifest since the last apply are deleted; fields others set are
kept. --server-side sends the manifest as a server-side apply patch owned by --field-manager.

If any document cannot be read (YAML syntax, missing kind or name, unknown kind), nothing is
applied. If the server rejects an object, the others are still applied; the run ends with a
count and exit code 1.

Flags:
  -f, --filename PATH    a file, a directory of .yaml/.yml/.json files, or - for standard input (repeatable)
  -R, --recursive        read directories recursively
  --server-side          server-side apply instead of the three-way merge patch
  --force-conflicts      with --server-side: take over fields other managers own
  --field-manager NAME   the manager recorded for the fields (default "stella"; client-side "stella-client-side-apply")
  --dry-run MODE         server: validate and default on the server, store nothing; client: send nothing
  -o, --output FORMAT    name, yaml or json: print the applied objects instead of one line each

${CONNECTION_HELP}

Examples:
  stella create namespace shop
  stella apply -f ../shared/examples/estate.yaml
  stella apply -f manifests/ -R --server-side
  cat release.yaml | stella apply -f - --dry-run=server`,
  async run(argv) {
    const { values } = parseFlags(argv, options);
    const serverSide = !!values["server-side"];
    if (values["force-conflicts"] && !serverSide)
      throw new UsageError("--force-conflicts only applies with --server-side");
    const dryRun = parseDryRun(values["dry-run"]);
    const output = parseOutput(values.output, ["table", "name", "yaml", "json"]);
    const manifests = await readManifests("apply", values.filename, values.recursive, "nothing was applied");
    if (!manifests) return EXIT.failure;
    const session = await Session.open(values);
    const opts = {
      serverSide,
      force: !!values["force-conflicts"],
      dryRun,
      fieldManager: values["field-manager"] ?? (serverSide ? "stella" : "stella-client-side-apply"),
    };
    const paint = stdoutPalette();
    const colour = {
      created: paint.green,
      configured: paint.yellow,
      unchanged: paint.dim,
      "serverside-applied": paint.green,
    };
    const applied: KindedObject[] = [];
    let failed = 0;
    try {
      for (const m of manifests) {
        let result: Applied;
        try {
          result = await applyObject(session.client, place(m, session), opts);
        } catch (err) {
          // Without a server or credentials no later object can fare better: stop here.
          if (err instanceof ConnectionError || isUnauthorized(err)) {
            reportError("apply", errorMessage(err));
            if (applied.length > 0 || failed > 0)
              reportError("apply", `stopped after ${applied.length} of ${manifests.length} objects`);
            return EXIT.failure;
          }
          failed++;
          reportError("apply", objectFailure(m, err, serverSide));
          continue;
        }
        applied.push({ info: m.info, object: result.object });
        if (output.kind === "table")
          process.stdout.write(
            `${objectName(m.info, m.object.metadata.name)} ${colour[result.outcome](result.outcome)}${dryRunSuffix(dryRun)}\n`,
          );
      }
      if (output.kind !== "table" && applied.length > 0)
        process.stdout.write(formatObjects(applied, output, { single: manifests.length === 1 }));
    } finally {
      session.close();
    }
    if (failed === 0) return EXIT.ok;
    reportError("apply", `${applied.length} of ${manifests.length} objects applied, ${failed} failed`);
    return EXIT.failure;
  },
};
