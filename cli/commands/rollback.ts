// `stella rollback ENVIRONMENT [--to RELEASE] [--promote]`: puts an earlier release back — the
// release named with --to, else the environment's previous good release (status.previous) — by
// creating a Deployment marked as a rollback, or with --promote a Promotion marked as one, which
// goes through the environment's gates and approvals (skipping soak and approvals only where
// spec.promotion.rollback allows). The controllers do the rest.
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { promotionKind, type Promotion } from "../../crds/promotion.ts";
import { releaseKind } from "../../crds/release.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { promotionRequired } from "../../crds/environment-policy.ts";
import { AlreadyCurrentError, NoPreviousReleaseError, PromotionRequiredError } from "../deployment/errors.ts";
import { formatObjects, objectName, parseOutput } from "../output/objects.ts";
import { objectNameArg } from "../resource-args.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  to: { type: "string" },
  promote: { type: "boolean" },
  reason: { type: "string" },
  output: { type: "string", short: "o" },
} as const;

/** The field manager rollback deployments are created as. */
export const ROLLBACK_FIELD_MANAGER = "stella-rollback";

/** The Deployment that rolls `environment` back to `release`; the server completes the generated name. */
export function rollbackDeployment(namespace: string, environment: string, release: string): Deployment {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { generateName: `${environment}-rollback-`, namespace },
    spec: { release, environment, rollback: true },
  };
}

/** The Promotion that rolls `environment` back to `release` under its policy; the server completes the name. */
export function rollbackPromotion(
  namespace: string,
  environment: string,
  release: string,
  reason: string | undefined,
): Promotion {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Promotion",
    metadata: { generateName: `${environment}-rollback-`, namespace },
    spec: { release, environment, rollback: true, ...(reason ? { reason } : {}) },
  };
}

/**
 * The release to go back to: --to, else status.previous; refuses none and the current one, and a
 * direct rollback (`promote` false) of an environment that takes releases only through promotions.
 */
export function rollbackRelease(env: Environment, to: string | undefined, promote = false): string {
  const name = env.metadata.name ?? "";
  if (!promote && promotionRequired(env.spec)) throw new PromotionRequiredError(name);
  const release = to ?? env.status?.previous?.release;
  if (!release) throw new NoPreviousReleaseError(name);
  if (release === env.status?.current?.release) throw new AlreadyCurrentError(name, release);
  return release;
}

/** `stella rollback`. */
export const rollbackCommand: Command = {
  name: "rollback",
  summary: "Put an environment's previous (or a named) release back",
  options,
  completion: {
    argument: (positionals) => (positionals.length === 0 ? environmentKind : undefined),
    flagKinds: { to: releaseKind },
    flagValues: { output: ["name", "yaml", "json"] },
  },
  help: `Roll an environment back: create a Deployment (named ENVIRONMENT-rollback-xxxxx, spec.rollback
true) of the environment's previous good release (status.previous), or of the release named with
--to. Under BlueGreen the previous release's units may still be running, so the switch back is
immediate. Follow it with "stella rollout status NAME -w".

With --promote it creates a Promotion instead (spec.rollback true, spec.reason from --reason): an
ordinary promotion through the environment's gates and approvals, except that it skips the soak
and approval gates where the environment's spec.promotion.rollback says skipSoak / skipApprovals.
Use it where a rollback must leave the same record as a promotion; follow it with
"stella get promotion NAME -w" or "stella describe promotion NAME".

Refused when the environment has no previous release and --to is not given, and when the release
is the one the environment runs now. The release must exist in the namespace. An environment with
spec.promotion.required takes releases only through promotions: there only --promote works (the
server refuses a direct rollback Deployment too).

Usage: stella rollback ENVIRONMENT [--to RELEASE] [--promote [--reason TEXT]] [-o name|yaml|json] [-n NS]

Flags:
  --to RELEASE     the release to put back (default: the environment's status.previous.release)
  --promote        create a rollback Promotion (under the environment's policy), not a Deployment
  --reason TEXT    why, recorded in the promotion and its evidence (with --promote)
  -o, --output     name, yaml or json instead of the "created" line

${CONNECTION_HELP}

Examples:
  stella rollback dev -n shop
  stella rollback prod --to shop-1-3-0 -n shop
  stella rollback prod --promote --reason "1.5.0 doubles checkout latency" -n shop
  stella rollout status "$(stella rollback dev -n shop -o name)" -n shop -w`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (positionals.length !== 1) throw new UsageError("give exactly one environment name");
    const environment = objectNameArg(positionals[0], environmentKind);
    if (values.to === "") throw new UsageError("--to needs a release name");
    const to = values.to === undefined ? undefined : objectNameArg(values.to, releaseKind);
    if (values.reason !== undefined && !values.promote)
      throw new UsageError("--reason goes with --promote (a rollback Deployment has no reason field)");
    const output = parseOutput(values.output, ["table", "yaml", "json", "name"]);
    const session = await Session.open(values);
    try {
      const namespace = session.namespace;
      const env = await session.client.resource<Environment>(environmentKind).get(environment, { namespace });
      const release = rollbackRelease(env, to, values.promote === true);
      await session.client.resource(releaseKind).get(release, { namespace });
      const [info, object] = values.promote
        ? [promotionKind, rollbackPromotion(namespace, environment, release, values.reason)]
        : [deploymentKind, rollbackDeployment(namespace, environment, release)];
      const created = await session.client
        .resource<Deployment | Promotion>(info)
        .create(object, { fieldManager: ROLLBACK_FIELD_MANAGER });
      if (output.kind === "table")
        process.stdout.write(
          `${objectName(info, created.metadata.name)} created (rollback of environment ${environment} to release ${release})\n`,
        );
      else process.stdout.write(formatObjects([{ info, object: created }], output, { single: true }));
      return EXIT.ok;
    } finally {
      session.close();
    }
  },
};
