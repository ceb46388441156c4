// `stella rollout status DEPLOYMENT [-w]`: where a deployment stands — phase, progress, one line
// per target — and with -w the changes as they happen until it settles, like `kubectl rollout
// status`: exit 0 when it succeeded, 1 when it ended any other way (or on --timeout).
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { parseFlags, parseTimeoutMs } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { allLines, changedLines, settled, statusView, type StatusView } from "../deployment/status-view.ts";
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

/** 0 for a success or a deployment still running (without -w); 1 for any other ending. */
const exitFor = (view: StatusView) => (view.verdict && !view.verdict.succeeded ? EXIT.failure : EXIT.ok);

/** `stella rollout status`. */
export const rolloutStatusCommand: Command = {
  name: "status",
  summary: "Show a deployment's phase, progress and targets; -w follows it to the end",
  options,
  help: `Show where a deployment stands: what it deploys where, its phase and progress, one line per
target (phase, batch, units, message) and, once it ended, the outcome. With -w, print each change
as it happens (through a watch) until the deployment ends.

Usage: stella rollout status DEPLOYMENT [-w] [--timeout DURATION] [-n NS]

Flags:
  -w, --watch           follow the deployment until it ends: exit 0 when it succeeded, 1 when it
                        failed, was rolled back, aborted or superseded
  --timeout DURATION    with -w, give up after this long (exit 1); default 0: no limit

Without -w the exit code is 1 only for a deployment that ended other than Succeeded.

${CONNECTION_HELP}

Examples:
  stella rollout status shop-1-4-0-dev -n shop
  stella rollout status shop-1-4-0-dev -n shop -w --timeout=10m`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (positionals.length !== 1) throw new UsageError("give exactly one deployment name");
    const timeoutMs = parseTimeoutMs(values.timeout!);
    const name = objectNameArg(positionals[0], deploymentKind);
    const session = await Session.open(values);
    const deployments = session.client.resource<Deployment>(deploymentKind);
    const stop = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(() => stop.abort(), timeoutMs) : undefined;
    try {
      const first = await deployments.get(name, { namespace: session.namespace });
      let view = statusView(first);
      write(allLines(view));
      if (!values.watch || settled(first)) return exitFor(view);
      for await (const current of followObject(deployments, first, stop.signal)) {
        if (!current) {
          reportError("rollout", `deployment "${name}" was deleted before it finished`);
          return EXIT.failure;
        }
        const next = statusView(current);
        write(changedLines(view, next));
        view = next;
        if (settled(current)) return exitFor(view);
      }
      reportError(
        "rollout",
        `timed out after ${values.timeout} waiting for deployment "${name}" to finish (now ${view.summary})`,
      );
      return EXIT.failure;
    } finally {
      clearTimeout(timer);
      stop.abort();
      session.close();
    }
  },
};
