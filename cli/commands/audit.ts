// `stella audit`: who did what, when — the server's audit log of every mutating request, newest
// first, filtered on the server by user, resource, object, namespace, verb and time.
import { AUDIT_API_VERSION, type AuditEventQuery } from "../../crds/audit-event.ts";
import { auditEvents } from "../../sdk/audit-client.ts";
import { parseFlags } from "../args.ts";
import { parseTimeFlag } from "../audit/time-flag.ts";
import { auditTable } from "../audit/event-table.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { kindOf } from "../resource-args.ts";
import { allNamespacesFlag, connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  ...allNamespacesFlag,
  user: { type: "string" },
  resource: { type: "string" },
  name: { type: "string" },
  verb: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  limit: { type: "string" },
  output: { type: "string", short: "o" },
} as const;

const DEFAULT_LIMIT = 100;

/** `--resource promo` or `--resource promotions/approval` as the audit log names it (plural[/subresource]). */
function resourceFilter(value: string): string {
  const [type, sub, ...extra] = value.split("/");
  if (!type || sub === "" || extra.length)
    throw new UsageError(
      `--resource must be a resource type or TYPE/SUBRESOURCE (promotions/approval), not "${value}"`,
    );
  const plural = kindOf(type).plural;
  return sub === undefined ? plural : `${plural}/${sub}`;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1) throw new UsageError(`--limit must be a positive number, not "${value}"`);
  return n;
}

/** `stella audit`. */
export const auditCommand: Command = {
  name: "audit",
  summary: "Query the audit log: who did what, when",
  options,
  completion: { flagValues: { output: ["table", "json"] } },
  help: `Show the audit log: one row per mutating request (create, update, patch, delete, approvals),
newest first, with who made it and the HTTP code it got — refused requests included. Filters are
applied by the server. Reading the audit log takes the admin role: in every namespace for -A,
or in the namespace asked for.

Usage: stella audit [--user U] [--resource R] [--name N] [--verb V] [--since T] [--until T]
                    [-n NS | -A] [--limit N] [-o table|json]

Flags:
  --user U           only requests by this user (the token's subject)
  --resource R       only this resource type (promotions, promo, ...), or one subresource (promotions/approval)
  --name N           only requests on objects of this name
  --verb V           create, update, patch, delete or deletecollection
  --since T          from this time on: a duration back from now (90s, 15m, 1h, 7d) or RFC 3339
  --until T          before this time (same forms)
  -A, --all-namespaces   every namespace, and cluster-scoped resources
  --limit N          the newest N matching records (default ${DEFAULT_LIMIT})
  -o, --output       table (default) or json

${CONNECTION_HELP}

Examples:
  stella audit -n shop --since 1h
  stella audit -A --user alice --verb delete
  stella audit -n shop --resource promotions/approval --name shop-1-4-0-to-prod -o json`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument "${positionals[0]}": filter with --name, --resource, --user`);
    const output = values.output ?? "table";
    if (output !== "table" && output !== "json") throw new UsageError(`-o must be table or json, not "${output}"`);
    if (values["all-namespaces"] && values.namespace !== undefined) throw new UsageError("give -n NS or -A, not both");
    const limit = parseLimit(values.limit);
    const now = new Date();
    const query: AuditEventQuery = {
      user: values.user,
      resource: values.resource === undefined ? undefined : resourceFilter(values.resource),
      name: values.name,
      verb: values.verb,
      since: values.since === undefined ? undefined : parseTimeFlag(values.since, "since", now),
      until: values.until === undefined ? undefined : parseTimeFlag(values.until, "until", now),
    };
    const session = await Session.open(values);
    try {
      if (!values["all-namespaces"]) query.namespace = session.namespace;
      const { events, more } = await auditEvents(session.client.transport, query, limit);
      if (output === "json")
        process.stdout.write(
          JSON.stringify(
            { apiVersion: AUDIT_API_VERSION, kind: "AuditEventList", metadata: {}, items: events },
            null,
            2,
          ) + "\n",
        );
      else if (events.length === 0)
        process.stderr.write(
          query.namespace ? `No audit events found in ${query.namespace} namespace.\n` : "No audit events found.\n",
        );
      else process.stdout.write(auditTable(events).join("\n") + "\n");
      if (more)
        process.stderr.write(
          `(the newest ${events.length} shown; older ones match too: raise --limit or narrow with --since/--until)\n`,
        );
      return EXIT.ok;
    } finally {
      session.close();
    }
  },
};
