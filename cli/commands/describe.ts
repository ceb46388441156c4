// `stella describe`: one object at a time in words — spec and status, conditions with their age,
// recent history, and the objects related to it (owners, owned, referenced, referencing).
import { isNotFound } from "../../crds/errors.ts";
import { parseFlags } from "../args.ts";
import { EXIT, type Command } from "../command.ts";
import { eventsOf } from "../describe/events.ts";
import { cachedLister, relatedTo } from "../describe/related.ts";
import { renderDescription } from "../describe/render.ts";
import { errorMessage } from "../error-message.ts";
import { stdoutPalette } from "../output/color.ts";
import { reportError } from "../output/report.ts";
import { parseResourceArgs } from "../resource-args.ts";
import { allNamespacesFlag, connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  ...allNamespacesFlag,
  selector: { type: "string", short: "l" },
  related: { type: "boolean", default: true },
  "show-events": { type: "boolean", default: true },
} as const;

/** `stella describe`. */
export const describeCommand: Command = {
  name: "describe",
  summary: "Show an object: spec, conditions, history, related objects, events",
  options,
  help: `Describe objects: identity, spec and status, conditions (with how long each has held),
recent history (who wrote what and when, condition changes), related objects (owners, the
objects it owns, the objects it names (spec.release, spec.upstream, a target selector, ...) and
the objects that name it) and, as in kubectl, its events oldest first.

Usage: stella describe TYPE [NAME...] | TYPE/NAME... [-l SEL] [-A]

With only TYPE, every object of that type in the namespace is described.

Flags:
  -l, --selector SEL     describe the objects this label selector picks
  -A, --all-namespaces   in every namespace
  --related=false        skip looking up related objects (faster on large namespaces)
  --show-events=false    leave out the Events section (the object's events, oldest first)

${CONNECTION_HELP}

Examples:
  stella describe environment staging -n shop
  stella describe release/shop-1-4-0 -n shop
  stella describe targets -n shop -l stella.io/environment=prod`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    const refs = parseResourceArgs(positionals, "what to describe");
    const session = await Session.open(values);
    const paint = stdoutPalette();
    const list = cachedLister(session.client);
    let failed = 0;
    let printed = 0;
    try {
      for (const ref of refs) {
        const rc = session.client.resource(ref.info);
        const namespace = ref.info.namespaced && !values["all-namespaces"] ? session.namespace : undefined;
        const objects = [];
        if (ref.names.length === 0)
          objects.push(...(await rc.listAll({ namespace, labelSelector: values.selector })).items);
        for (const name of ref.names) {
          try {
            objects.push(await rc.get(name, { namespace: namespace ?? session.namespace }));
          } catch (err) {
            if (!isNotFound(err)) throw err;
            failed++;
            reportError("describe", errorMessage(err));
          }
        }
        for (const obj of objects) {
          const related = values.related ? await relatedTo(obj, ref.info, list) : undefined;
          // Events are best effort, as in kubectl: a caller who may not list them still gets the rest.
          const showEvents = values["show-events"] && ref.info.kind !== "Event" && ref.info.namespaced;
          const events = showEvents ? await eventsOf(session.client, obj).catch(() => undefined) : undefined;
          process.stdout.write(
            (printed++ > 0 ? "\n\n" : "") + renderDescription({ info: ref.info, obj, related, events, paint }),
          );
        }
      }
    } finally {
      session.close();
    }
    if (printed === 0 && failed === 0)
      process.stderr.write(
        `No resources found${values["all-namespaces"] ? "" : ` in ${session.namespace} namespace`}.\n`,
      );
    return failed > 0 ? EXIT.failure : EXIT.ok;
  },
};
