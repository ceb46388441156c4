// Why a deployment with the Canary strategy cannot start, decided at Pending once its release is
// ready. A canary moves the traffic of one component from the environment's current release to
// the new one, so:
//   - the component must be in the release;
//   - the environment must have a current release other than this one (a first deployment into an
//     empty environment has nothing to move traffic from: it is refused, not silently rolled out
//     another way, so the operator chooses the strategy of that first landing);
//   - every other component must be the same as in the current release: those keep running as they
//     are, so when the canary succeeds the environment runs exactly the new release. A release that
//     changes them is refused; deploy it with another strategy.
import { isDeepStrictEqual } from "node:util";
import type { CanaryStrategy } from "../../crds/deployment-strategy.ts";
import type { Release } from "../../crds/release.ts";

/** Condition reasons of a refused Canary deployment. */
export const CanaryRefusalReasons = {
  ComponentNotInRelease: "CanaryComponentNotInRelease",
  NoStableRelease: "NoStableRelease",
  AlreadyCurrent: "AlreadyCurrent",
  OtherComponentsChanged: "OtherComponentsChanged",
} as const;
export type CanaryRefusalReason = (typeof CanaryRefusalReasons)[keyof typeof CanaryRefusalReasons];

/** A Canary-strategy deployment that cannot run as asked; the deployment fails with its reason. */
export class CanaryRefusal extends Error {
  override readonly name = "CanaryRefusal";
  constructor(
    readonly reason: CanaryRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** What the check reads: the plan, the release, and the environment's current release. */
export interface CanaryStart {
  plan: CanaryStrategy;
  release: Release;
  environment: string;
  /** The environment's current release (its deployment history), if any. */
  current?: string;
  /** The current release's object, to compare the other components with. */
  currentRelease?: Release;
}

/** A component as it runs: its spec and the digest the release controller pinned. */
function pinned(release: Release | undefined, component: string) {
  const spec = release?.spec.components.find((c) => c.name === component);
  const digest = release?.status?.components?.find((c) => c.name === component)?.digest;
  return spec && { ...spec, digest };
}

/** The refusal of a Canary deployment that cannot start, or undefined when it may. */
export function canaryRefusal({ plan, release, environment, current, currentRelease }: CanaryStart) {
  const R = CanaryRefusalReasons;
  const name = release.metadata.name ?? "";
  const components = release.spec.components.map((c) => c.name);
  if (!components.includes(plan.component)) {
    const has = components.join(", ");
    const message = `strategy.canary.component: release ${name} has no component ${plan.component} (it has ${has})`;
    return new CanaryRefusal(R.ComponentNotInRelease, message);
  }
  if (!current) {
    const message =
      `the Canary strategy moves traffic from the environment's current release, and ${environment} has none yet: ` +
      `deploy the first release with another strategy (for example strategy.type AllAtOnce), then canary the next`;
    return new CanaryRefusal(R.NoStableRelease, message);
  }
  if (current === name) {
    const message = `release ${name} is already current in ${environment}: a canary needs another stable release`;
    return new CanaryRefusal(R.AlreadyCurrent, message);
  }
  const changed = release.spec.components.filter(
    (c) => c.name !== plan.component && !isDeepStrictEqual(pinned(release, c.name), pinned(currentRelease, c.name)),
  );
  if (changed.length) {
    const names = changed.map((c) => c.name).join(", ");
    const message =
      `strategy.canary.component is ${plan.component}, but release ${name} also changes ${names} from ${current}: ` +
      `a canary moves one component and leaves the others running, so deploy this release with another strategy`;
    return new CanaryRefusal(R.OtherComponentsChanged, message);
  }
  return undefined;
}
