// `stella wait`: block until objects meet a condition, a jsonpath value, creation or deletion —
// through watches, not polling — or until --timeout (exit 1, saying where each object stood).
import { parseFlags, parseTimeoutMs } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { place } from "../manifests/placement.ts";
import { filenameFlags, readManifests } from "../manifests/read.ts";
import { stdoutPalette } from "../output/color.ts";
import { objectName } from "../output/objects.ts";
import { Progress } from "../output/progress.ts";
import { reportError } from "../output/report.ts";
import { parseResourceArgs } from "../resource-args.ts";
import { allNamespacesFlag, connectionFlags, CONNECTION_HELP, Session } from "../session.ts";
import { resolveTargets } from "../targets.ts";
import { waitAll, type WaitTarget } from "../wait/wait-all.ts";
import { parseWaitFor } from "../wait/wait-for.ts";

const options = {
  ...connectionFlags,
  ...allNamespacesFlag,
  filename: filenameFlags.filename,
  recursive: filenameFlags.recursive,
  for: { type: "string" },
  timeout: { type: "string", default: "30s" },
  selector: { type: "string", short: "l" },
  "field-selector": { type: "string" },
  all: { type: "boolean" },
} as const;

/** `stella wait`. */
export const waitCommand: Command = {
  name: "wait",
  summary: "Wait for a condition, a value, or deletion",
  options,
  help: `Wait until objects meet a condition, hold a value, exist, or are gone. Each object is watched
(no polling); on a terminal a live line shows where each one stands.

Usage: stella wait (TYPE NAME... | TYPE/NAME... | TYPE -l SEL | TYPE --all | -f FILE) --for=WHAT [--timeout=30s]

--for:
  condition=TYPE[=VALUE]     status.conditions has TYPE with status VALUE (default True), for the
                             current generation when the condition records observedGeneration
  jsonpath='{EXPR}'[=VALUE]  EXPR evaluates to VALUE (or, without =VALUE, to anything)
  delete                     the object is gone (an absent object counts)
  create                     the object exists

Flags:
  --timeout DURATION     how long to wait (default 30s; 0 checks once). On timeout: exit 1.
  -l, --selector SEL     wait for the objects this label selector picks now
  --all                  wait for every object of the type in the namespace
  -f, --filename PATH    wait for the objects of these manifests
  -A, --all-namespaces   with -l or --all: in every namespace

${CONNECTION_HELP}

Examples:
  stella wait --for=condition=Resolved release/shop-1-4-0 -n shop --timeout=2m
  stella wait --for=jsonpath='{.status.phase}'=Succeeded promotion/shop-1-4-0-to-staging -n shop
  stella wait --for=delete environment/dev -n shop
  stella wait --for=condition=Ready targets --all -n shop`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (!values.for) throw new UsageError("--for is required, e.g. --for=condition=Ready or --for=delete");
    const w = parseWaitFor(values.for);
    const timeoutMs = parseTimeoutMs(values.timeout!);
    if (values.filename && positionals.length) throw new UsageError("give -f or resource arguments, not both");
    const manifests = values.filename
      ? await readManifests("wait", values.filename, values.recursive, "not waiting")
      : undefined;
    if (values.filename && !manifests) return EXIT.failure;
    const refs = manifests ? [] : parseResourceArgs(positionals, "what to wait for");

    const session = await Session.open(values);
    const paint = stdoutPalette();
    const progress = new Progress();
    try {
      const targets: WaitTarget[] = manifests
        ? manifests.map((m) => place(m, session)).map((p) => ({ info: p.info, namespace: p.namespace, name: p.name }))
        : await resolveTargets(session.client, refs, {
            namespace: values["all-namespaces"] ? undefined : session.namespace,
            labelSelector: values.selector,
            fieldSelector: values["field-selector"],
            all: values.all,
          });
      if (targets.length === 0) throw new Error("no matching objects found");
      const unmet = await waitAll(session.client, targets, w, {
        timeoutMs,
        progress,
        onMet: (t) => progress.log(`${objectName(t.info, t.name)} ${paint.green("condition met")}`),
      });
      for (const { target, verdict } of unmet)
        reportError(
          "wait",
          `timed out after ${values.timeout} waiting for the condition on ${target.info.plural}/${target.name}: ${verdict.state}`,
        );
      return unmet.length === 0 ? EXIT.ok : EXIT.failure;
    } finally {
      progress.stop();
      session.close();
    }
  },
};
