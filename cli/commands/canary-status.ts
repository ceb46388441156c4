// `stella canary status CANARY [-w]`: the step, the weight the router confirmed and the live
// analysis table of a canary; with -w each change as it happens (through a watch) until it ends:
// exit 0 when it succeeded, 1 when it was aborted or failed (or on --timeout).
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { parseFlags, parseTimeoutMs } from "../args.ts";
import { canaryEnded, canaryStatusLines } from "../canary/status-view.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { reportError } from "../output/report.ts";
import { objectNameArg } from "../resource-args.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";
import { followObject } from "../wait/follow-object.ts";

const options = {
  ...connectionFlags,
  watch: { type: "boolean", short: "w" },
  timeout: { type: "string", default: "0" },
} as const;

const write = (lines: string[]) => process.stdout.write(lines.map((l) => l + "\n").join(""));

const exitFor = (c: Canary) => (c.status?.phase === "Aborted" || c.status?.phase === "Failed" ? EXIT.failure : EXIT.ok);

/** `stella canary status`. */
export const canaryStatusCommand: Command = {
  name: "status",
  summary: "Show a canary's step, weight and analysis; -w follows it to the end",
  options,
  help: `Show where a canary stands: stable and canary release, phase and reason, the current step,
the weight the router confirmed, match routes, and one row per analysis run (step or background)
with its measurements. With -w, print the lines that change as they change, until the canary ends
(and its old units are scaled down).

Usage: stella canary status CANARY [-w] [--timeout DURATION] [-n NS]

Flags:
  -w, --watch           follow the canary until it ends: exit 0 when it succeeded, 1 when it was
                        aborted or failed
  --timeout DURATION    with -w, give up after this long (exit 1); default 0: no limit

${CONNECTION_HELP}`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (positionals.length !== 1) throw new UsageError("give exactly one canary name");
    const timeoutMs = parseTimeoutMs(values.timeout!);
    const name = objectNameArg(positionals[0], canaryKind);
    const session = await Session.open(values);
    const canaries = session.client.resource<Canary>(canaryKind);
    const stop = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(() => stop.abort(), timeoutMs) : undefined;
    try {
      const first = await canaries.get(name, { namespace: session.namespace });
      let shown = canaryStatusLines(first);
      write(shown);
      if (!values.watch || canaryEnded(first)) return exitFor(first);
      for await (const current of followObject(canaries, first, stop.signal)) {
        if (!current) {
          reportError("canary", `canary "${name}" was deleted before it ended`);
          return EXIT.failure;
        }
        const next = canaryStatusLines(current);
        write(next.filter((line) => !shown.includes(line)));
        shown = next;
        if (canaryEnded(current)) return exitFor(current);
      }
      reportError("canary", `timed out after ${values.timeout} waiting for canary "${name}" to end`);
      return EXIT.failure;
    } finally {
      clearTimeout(timer);
      stop.abort();
      session.close();
    }
  },
};
