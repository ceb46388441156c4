// `stella rollout pause|resume|abort|retry|status DEPLOYMENT`: the manual controls of a deployment
// and its progress, as `kubectl rollout` offers them for Kubernetes Deployments.
import { deploymentKind } from "../../crds/deployment.ts";
import { type Command } from "../command.ts";
import { runSubcommand } from "../subcommands.ts";
import {
  rolloutAbortCommand,
  rolloutPauseCommand,
  rolloutResumeCommand,
  rolloutRetryCommand,
} from "./rollout-control.ts";
import { rolloutStatusCommand } from "./rollout-status.ts";

const subcommands: readonly Command[] = [
  rolloutStatusCommand,
  rolloutPauseCommand,
  rolloutResumeCommand,
  rolloutAbortCommand,
  rolloutRetryCommand,
];

/** `stella rollout`. */
export const rolloutCommand: Command = {
  name: "rollout",
  summary: "Follow a deployment, or pause, resume, abort or retry it",
  subcommands: subcommands.map((c) => c.name),
  // The union of the subcommands' flags, so completion offers them after any subcommand.
  options: Object.assign({}, ...subcommands.map((c) => c.options)),
  completion: { argument: (positionals) => (positionals.length === 1 ? deploymentKind : undefined) },
  help: `Follow a deployment, or steer it by hand.

Usage: stella rollout <subcommand> DEPLOYMENT [flags]

Subcommands:
${subcommands.map((c) => `  ${c.name.padEnd(8)}${c.summary}`).join("\n")}

A control that makes no sense in the deployment's phase is refused with the phase, e.g.
"deployment shop-1-4-0-dev succeeded; nothing to retry" (exit 1).

Examples:
  stella rollout status shop-1-4-0-dev -n shop -w
  stella rollout pause shop-1-4-0-dev -n shop
  stella rollout resume shop-1-4-0-dev -n shop
  stella rollout abort shop-1-4-0-dev -n shop
  stella rollout retry shop-1-4-0-dev -n shop`,
  run: (argv) => runSubcommand(subcommands, argv),
};
