// `stella rollout pause|resume|abort|retry DEPLOYMENT`: the manual controls of a running (or, for
// retry, a failed) deployment, each a JSON merge patch of one spec field. The patch carries the
// resourceVersion it was decided on, so a deployment that changed meanwhile is read and decided
// again rather than patched blindly.
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { isConflict } from "../../crds/errors.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { decideControl, type RolloutAction } from "../deployment/controls.ts";
import { objectName } from "../output/objects.ts";
import { objectNameArg } from "../resource-args.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = { ...connectionFlags } as const;

/** The field manager the controls write as (kubectl's rollout uses kubectl-rollout). */
export const ROLLOUT_FIELD_MANAGER = "stella-rollout";

const MAX_ATTEMPTS = 5;

const ABOUT: Record<RolloutAction, { summary: string; text: string; example: string }> = {
  pause: {
    summary: "Hold a deployment before its next batch",
    text: `Pause a deployment: targets already updating finish, no new batch starts until "stella rollout
resume". Sets spec.paused=true. Refused for a deployment that already finished (the message
names its phase), is already paused, or runs a Canary (its steps decide its pauses: use "stella
canary promote|abort").`,
    example: "stella rollout pause shop-1-4-0-dev -n shop",
  },
  resume: {
    summary: "Continue a paused deployment",
    text: `Resume a paused deployment. Sets spec.paused=false. Refused for a deployment that is not
paused or already finished.`,
    example: "stella rollout resume shop-1-4-0-dev -n shop",
  },
  abort: {
    summary: "Stop a deployment and roll back to the previous release",
    text: `Abort a deployment: the controller stops it and puts the environment's previous release back.
Sets spec.abort=true. Refused for a deployment that already finished.`,
    example: "stella rollout abort shop-1-4-0-dev -n shop",
  },
  retry: {
    summary: "Run a Failed deployment again",
    text: `Retry a Failed deployment: raises spec.retry by one; the controller starts it again when it
sees spec.retry above status.observedRetry. Only a Failed deployment can be retried: one that
succeeded has nothing to retry, one rolled back, aborted or superseded needs a new Deployment.`,
    example: "stella rollout retry shop-1-4-0-dev -n shop",
  },
};

async function control(action: RolloutAction, argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, options, true);
  if (positionals.length !== 1) throw new UsageError("give exactly one deployment name");
  const name = objectNameArg(positionals[0], deploymentKind);
  const session = await Session.open(values);
  try {
    const deployments = session.client.resource<Deployment>(deploymentKind);
    for (let attempt = 1; ; attempt++) {
      const live = await deployments.get(name, { namespace: session.namespace });
      const change = decideControl(action, live);
      try {
        const patch = { metadata: { resourceVersion: live.metadata.resourceVersion }, spec: change.spec };
        await deployments.patch(name, patch, {
          type: "merge",
          namespace: session.namespace,
          fieldManager: ROLLOUT_FIELD_MANAGER,
        });
      } catch (err) {
        if (isConflict(err) && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
      process.stdout.write(`${objectName(deploymentKind, name)} ${change.done}\n`);
      return EXIT.ok;
    }
  } finally {
    session.close();
  }
}

const controlCommand = (action: RolloutAction): Command => ({
  name: action,
  summary: ABOUT[action].summary,
  options,
  help: `${ABOUT[action].text}

Usage: stella rollout ${action} DEPLOYMENT [-n NS]

${CONNECTION_HELP}

Examples:
  ${ABOUT[action].example}
  stella rollout status shop-1-4-0-dev -n shop -w`,
  run: (argv) => control(action, argv),
});

/** `stella rollout pause`. */
export const rolloutPauseCommand = controlCommand("pause");
/** `stella rollout resume`. */
export const rolloutResumeCommand = controlCommand("resume");
/** `stella rollout abort`. */
export const rolloutAbortCommand = controlCommand("abort");
/** `stella rollout retry`. */
export const rolloutRetryCommand = controlCommand("retry");
