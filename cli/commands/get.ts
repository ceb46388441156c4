// `stella get`: objects as the server's Tables (or -o yaml|json|name|jsonpath|wide), by name,
// label or field selector, in one namespace or all (-A); -w keeps printing changes.
import type { ApiError } from "../../crds/errors.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { apiErrorMessage } from "../error-message.ts";
import { fetchObjects, fetchTable, type Selection } from "../get/fetch.ts";
import { watchGet } from "../get/watch.ts";
import { alignColumns } from "../output/columns.ts";
import { formatObjects, parseOutput, qualifiedKind, type KindedObject } from "../output/objects.ts";
import { reportError } from "../output/report.ts";
import { headerCells, rowCells } from "../output/server-table.ts";
import { parseResourceArgs } from "../resource-args.ts";
import { allNamespacesFlag, connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  ...allNamespacesFlag,
  output: { type: "string", short: "o" },
  selector: { type: "string", short: "l" },
  "field-selector": { type: "string" },
  watch: { type: "boolean", short: "w" },
  "watch-only": { type: "boolean" },
  "show-labels": { type: "boolean" },
  "no-headers": { type: "boolean" },
  "show-managed-fields": { type: "boolean" },
} as const;

/** `stella get`. */
export const getCommand: Command = {
  name: "get",
  summary: "List objects, or watch them change (-w)",
  options,
  help: `List objects in the columns the server defines for each kind, or print them whole.

Usage: stella get TYPE[,TYPE...] [NAME...] [flags]
       stella get TYPE/NAME... [flags]

TYPE is a plural, singular, short name or kind: environments, environment, env, Environment
("stella api-resources" lists them).

Flags:
  -o, --output FORMAT       wide, yaml, json, name, or jsonpath=TEMPLATE (e.g. jsonpath='{.items[*].metadata.name}')
  -l, --selector SEL        label selector, e.g. -l stella.io/environment=prod,role!=db
  --field-selector SEL      field selector, e.g. --field-selector status.phase=Ready
  -A, --all-namespaces      every namespace (adds a NAMESPACE column)
  -w, --watch               after listing, print every change until interrupted
  --watch-only              print changes only, not the list first
  --show-labels             add a LABELS column
  --no-headers              leave out the header line
  --show-managed-fields     keep metadata.managedFields in yaml and json

A watch that loses its connection resumes where it stopped and says so on standard error; if
the server stays unreachable for 30s (STELLA_WATCH_RECONNECT_SECONDS) it exits with code 1.

${CONNECTION_HELP}

Examples:
  stella get environments -n shop
  stella get env,targets -A -o wide
  stella get environments -n shop -w
  stella get release shop-1-4-0 -n shop -o yaml
  stella get targets -n shop -l stella.io/environment=prod -o name
  stella get env dev -n shop -o jsonpath='{.status.current.release}'`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    const refs = parseResourceArgs(positionals);
    const format = parseOutput(values.output, ["table", "wide", "yaml", "json", "name", "jsonpath"]);
    const named = refs.some((r) => r.names.length > 0);
    const selecting = values.selector !== undefined || values["field-selector"] !== undefined;
    if (named && selecting) throw new UsageError("give names or a selector (-l, --field-selector), not both");
    if (named && values["all-namespaces"])
      throw new UsageError("objects cannot be named across all namespaces (-A): give -n NAMESPACE");
    const watching = values.watch || values["watch-only"];
    if (watching && (refs.length > 1 || refs[0].names.length > 1))
      throw new UsageError("-w watches one resource type (and at most one name) at a time");

    const session = await Session.open(values);
    const selectionFor = (namespaced: boolean): Selection => ({
      namespace: namespaced && !values["all-namespaces"] ? session.namespace : undefined,
      labelSelector: values.selector,
      fieldSelector: values["field-selector"],
    });
    const view = {
      wide: format.kind === "wide",
      showLabels: values["show-labels"],
      noHeaders: values["no-headers"],
    };
    if (watching) {
      const info = refs[0].info;
      return watchGet(session, {
        info,
        selection: selectionFor(info.namespaced),
        name: refs[0].names[0],
        format,
        view: { ...view, namespaceColumn: !!values["all-namespaces"] && info.namespaced },
        watchOnly: !!values["watch-only"],
      });
    }

    const missing: ApiError[] = [];
    try {
      if (format.kind === "table" || format.kind === "wide") {
        const blocks: string[] = [];
        for (const ref of refs) {
          const { result: table, missing: gone } = await fetchTable(
            session.client,
            ref.info,
            selectionFor(ref.info.namespaced),
            ref.names,
          );
          missing.push(...gone);
          if (!table || table.rows.length === 0) continue;
          const v = {
            ...view,
            namespaceColumn: !!values["all-namespaces"] && ref.info.namespaced,
            namePrefix: refs.length > 1 ? `${qualifiedKind(ref.info)}/` : undefined,
          };
          const lines = table.rows.map((r) => rowCells(table.columnDefinitions, r, v));
          if (!view.noHeaders) lines.unshift(headerCells(table.columnDefinitions, v));
          blocks.push(alignColumns(lines).join("\n") + "\n");
        }
        process.stdout.write(blocks.join("\n"));
        if (blocks.length === 0 && !named) {
          const scoped = refs.every((r) => r.info.namespaced) && !values["all-namespaces"];
          process.stderr.write(
            scoped ? `No resources found in ${session.namespace} namespace.\n` : "No resources found\n",
          );
        }
      } else {
        const objects: KindedObject[] = [];
        for (const ref of refs) {
          const { result, missing: gone } = await fetchObjects(
            session.client,
            ref.info,
            selectionFor(ref.info.namespaced),
            ref.names,
          );
          missing.push(...gone);
          objects.push(...result.items.map((object) => ({ info: ref.info, object })));
        }
        const single = refs.length === 1 && refs[0].names.length === 1;
        if (objects.length > 0 || !single)
          process.stdout.write(
            formatObjects(objects, format, { single, showManagedFields: values["show-managed-fields"] }),
          );
      }
    } finally {
      session.close();
    }
    for (const err of missing) reportError("get", apiErrorMessage(err));
    return missing.length > 0 ? EXIT.failure : EXIT.ok;
  },
};
