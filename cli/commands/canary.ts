// `stella canary promote [--full]|abort|retry CANARY`: the manual controls of a canary, each a JSON merge
// patch of spec fields carrying the resourceVersion it was decided on (a canary that changed
// meanwhile is read and decided again).
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { isConflict } from "../../crds/errors.ts";
import { parseFlags } from "../args.ts";
import { type CanaryAction, decideCanaryControl } from "../../crds/canary-controls.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { objectName } from "../output/objects.ts";
import { objectNameArg } from "../resource-args.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";
import { runSubcommand } from "../subcommands.ts";
import { canaryStatusCommand } from "./canary-status.ts";

/** The field manager the controls write as. */
export const CANARY_FIELD_MANAGER = "stella-canary";

const MAX_ATTEMPTS = 5;

async function control(
  action: "promote" | "abort" | "retry",
  argv: string[],
  options: Command["options"],
): Promise<number> {
  const { values, positionals } = parseFlags(argv, options ?? {}, true);
  if (positionals.length !== 1) throw new UsageError("give exactly one canary name");
  const name = objectNameArg(positionals[0], canaryKind);
  const full: CanaryAction = action === "promote" && values.full === true ? "promote-full" : action;
  const session = await Session.open(values);
  try {
    const canaries = session.client.resource<Canary>(canaryKind);
    for (let attempt = 1; ; attempt++) {
      const live = await canaries.get(name, { namespace: session.namespace });
      const change = decideCanaryControl(full, live);
      try {
        const patch = { metadata: { resourceVersion: live.metadata.resourceVersion }, spec: change.spec };
        await canaries.patch(name, patch, {
          type: "merge",
          namespace: session.namespace,
          fieldManager: CANARY_FIELD_MANAGER,
        });
      } catch (err) {
        if (isConflict(err) && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
      process.stdout.write(`${objectName(canaryKind, name)} ${change.done}\n`);
      return EXIT.ok;
    }
  } finally {
    session.close();
  }
}

const promoteOptions = { ...connectionFlags, full: { type: "boolean" } } as const;

const promote: Command = {
  name: "promote",
  summary: "Release the pause a canary waits at (--full: skip the remaining steps)",
  options: promoteOptions,
  help: `Release the pause a canary waits at: sets spec.promotedStep to its current step. With --full,
skip every remaining step and send all traffic to the canary (spec.promoteFull=true).

Usage: stella canary promote CANARY [--full] [-n NS]

${CONNECTION_HELP}`,
  run: (argv) => control("promote", argv, promoteOptions),
};

const abort: Command = {
  name: "abort",
  summary: "Send all traffic back to stable, then remove the canary units",
  options: connectionFlags,
  help: `Abort a canary: the controller removes its header routes and sets its weight to 0, reads that
back from the router, and only then removes the canary units (spec.abort=true).

Usage: stella canary abort CANARY [-n NS]

${CONNECTION_HELP}`,
  run: (argv) => control("abort", argv, connectionFlags),
};

const retry: Command = {
  name: "retry",
  summary: "Run an aborted or failed canary again from its first step",
  options: connectionFlags,
  help: `Run an aborted or failed canary again from its first step: raises spec.retry and clears
spec.abort, spec.promoteFull and spec.promotedStep. The controller starts the canary units again
beside the stable ones; its evidence so far is kept.

Usage: stella canary retry CANARY [-n NS]

${CONNECTION_HELP}`,
  run: (argv) => control("retry", argv, connectionFlags),
};

const subcommands: readonly Command[] = [canaryStatusCommand, promote, abort, retry];

/** `stella canary`. */
export const canaryCommand: Command = {
  name: "canary",
  summary: "Follow, promote, abort or retry a canary",
  subcommands: subcommands.map((c) => c.name),
  options: Object.assign({}, ...subcommands.map((c) => c.options)),
  completion: { argument: (positionals) => (positionals.length === 1 ? canaryKind : undefined) },
  help: `Follow a canary, or steer it by hand.

Usage: stella canary <subcommand> CANARY [flags]

Subcommands:
${subcommands.map((c) => `  ${c.name.padEnd(8)}${c.summary}`).join("\n")}

Examples:
  stella canary status shop-web-1-4-0 -n shop -w
  stella canary promote shop-web-1-4-0 -n shop
  stella canary promote shop-web-1-4-0 -n shop --full
  stella canary abort shop-web-1-4-0 -n shop
  stella canary retry shop-web-1-4-0 -n shop
  stella get canaries -n shop -w`,
  run: (argv) => runSubcommand(subcommands, argv),
};
