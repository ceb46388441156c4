// One target's part of a rollout, as one reconcile advances it: observe what runs there, start the
// release's units in their slot (unless they already run), judge their health, and cut over —
// remove what the release replaces — once every unit is healthy. BlueGreen keeps the replaced
// units for scale-down. Where the platform rolls units over in place (ECS: rollsInPlace), Rolling
// and AllAtOnce keep the slot and the platform's own rolling update replaces the units; a rollback
// rolls the previous release back over them the same way. Each call is idempotent: after a crash
// the next call finds the units the last one started and goes on from there.
import type { GeneratedArtifact, TargetRollout } from "../../crds/deployment.ts";
import type { DeploymentStrategy } from "../../crds/deployment-strategy.ts";
import type { Release } from "../../crds/release.ts";
import type { Target } from "../../crds/target.ts";
import { isDriverError, type Driver, type ObservedUnit, type Slot } from "../../sdk/plugins/driver.ts";
import type { StepContext } from "./context.ts";
import type { UnitHealth } from "./health.ts";
import { stopsFirst } from "./plan.ts";
import { otherSlot, portPlan, PortRangeExhaustedError } from "./ports.ts";
import { nameOf, unitSet } from "./units.ts";

/** A target's rollout after one step, and whether it moved forward. */
export interface StepOutcome {
  rollout: TargetRollout;
  progressed: boolean;
}

const stamp = (ctx: StepContext): string => new Date(ctx.now()).toISOString();

/**
 * The slot `release` should run in, given what runs in the environment on the target now: the
 * other one than the current release's, or the same one when the platform replaces units in place.
 */
export function chooseSlot(
  envUnits: readonly ObservedUnit[],
  release: string,
  previous: string | undefined,
  inPlace = false,
): Slot {
  const own = envUnits.find((u) => u.release === release);
  if (own) return own.slot;
  const current =
    envUnits.find((u) => u.release === previous && u.running) ?? envUnits.find((u) => u.running) ?? envUnits[0];
  if (!current) return "blue";
  return inPlace ? current.slot : otherSlot(current.slot);
}

/**
 * Whether this rollout replaces units where they run: the platform's own rolling update
 * (DriverCapabilities.rollsInPlace) for the strategies that replace rather than stand beside.
 */
export const rollsInPlace = (driver: Driver, strategy: DeploymentStrategy): boolean =>
  !!driver.capabilities?.rollsInPlace && (strategy.type === "Rolling" || strategy.type === "AllAtOnce");

/** The running units of `release` in `slot`, one per component, if every component has one. */
export function completeUnits(
  units: readonly ObservedUnit[],
  release: Release,
  slot: Slot,
): ObservedUnit[] | undefined {
  const found = release.spec.components.map((c) =>
    units.find((u) => u.release === release.metadata.name && u.slot === slot && u.component === c.name),
  );
  return found.every((u) => u !== undefined) ? (found as ObservedUnit[]) : undefined;
}

/** Advances target `t` of a rolling-out deployment by one step. */
export async function rollTarget(ctx: StepContext, t: TargetRollout): Promise<StepOutcome> {
  const bound = await bind(ctx, t);
  if ("outcome" in bound) return bound.outcome;
  const { target, driver } = bound;
  const release = ctx.release;
  try {
    const envUnits = await driver.observe({
      namespace: ctx.namespace,
      environment: ctx.deployment.spec.environment,
      target: t.name,
    });
    const inPlace = rollsInPlace(driver, ctx.settings.strategy);
    const slot = t.slot ?? chooseSlot(envUnits, nameOf(release), ctx.previous && nameOf(ctx.previous), inPlace);
    const replaced = envUnits.filter((u) => !(u.slot === slot && u.release === release.metadata.name));
    // In place, the platform stops what it replaces itself (as the strategy told it).
    if (!inPlace && stopsFirst(ctx.settings.strategy) && replaced.length) await driver.remove(replaced);
    const running = completeUnits(envUnits, release, slot);
    const adopted = running?.every((u) => u.running) ? running : undefined;
    let artifacts = t.artifacts;
    let units: ObservedUnit[];
    if (adopted && artifacts) units = adopted;
    else {
      // Rendering is deterministic, so units adopted as they run (after a data directory was reset,
      // or from another server) get the artifacts they were made from stored all the same.
      const plan = await portPlan(ctx.ports, driver);
      const set = unitSet(release, placement(ctx, t.name, slot), plan, ctx.settings.strategy);
      artifacts = await ctx.store(t.name, driver.render(set));
      units = adopted ?? (await driver.apply(set, ctx.applyContext(target, release)));
    }
    // A unit set that came back short (its units went while it was applied) is not a success.
    const missing = release.spec.components.filter((c) => !units.some((u) => u.component === c.name));
    if (missing.length) {
      const names = missing.map((c) => c.name).join(", ");
      return {
        rollout: {
          ...t,
          slot,
          ...(artifacts ? { artifacts } : {}),
          message: `waiting for ${names} to run in slot ${slot}`,
        },
        progressed: false,
      };
    }
    const health = await assess(ctx, driver, release, units);
    const unitStatus = units.map((u, i) => ({
      component: u.component,
      imageRef: u.imageRef,
      id: u.id.slice(0, 12),
      healthy: health[i].verdict === "Healthy",
      ...(health[i].verdict === "Healthy" ? {} : { message: health[i].message }),
    }));
    const progressed = unitStatus.filter((u) => u.healthy).length > (t.units ?? []).filter((u) => u.healthy).length;
    const base: TargetRollout = { ...t, slot, units: unitStatus, ...(artifacts ? { artifacts } : {}) };
    const bad = health.findIndex((h) => h.verdict === "Unhealthy");
    if (bad >= 0)
      return {
        rollout: {
          ...base,
          phase: "Failed",
          message: `${units[bad].component} is unhealthy: ${health[bad].message}`,
          completedAt: stamp(ctx),
        },
        progressed: true,
      };
    if (health.every((h) => h.verdict === "Healthy")) {
      const blueGreen = ctx.settings.strategy.type === "BlueGreen";
      const stale = replaced.filter((u) => !units.some((n) => n.id === u.id));
      if (!blueGreen && stale.length) await driver.remove(stale);
      const message =
        blueGreen && stale.length
          ? `healthy in slot ${slot}; ${stale.length} unit(s) of the previous release kept until scale-down`
          : `healthy in slot ${slot}`;
      return { rollout: { ...base, phase: "Succeeded", message, completedAt: stamp(ctx) }, progressed: true };
    }
    const waiting = health.findIndex((h) => h.verdict !== "Healthy");
    return {
      rollout: {
        ...base,
        phase: "Progressing",
        message: `waiting for ${units[waiting].component} to become healthy: ${health[waiting].message}`,
      },
      progressed,
    };
  } catch (err) {
    return driverTrouble(t, err, ctx);
  }
}

/**
 * Puts the previous release back on target `t`. When its units still run (BlueGreen before
 * scale-down, Rolling with maxUnavailable 0 before cutover) the new units are removed and that is
 * all: no waiting on the bad version. Otherwise the bad units go first and the previous release
 * starts again in its slot, then must turn healthy. The target keeps the completedAt of its failed
 * rollout (when the failing verdict came), so the rollback's own time is status.rollback.completedAt.
 */
export async function rollBackTarget(ctx: StepContext, t: TargetRollout, previous: Release): Promise<StepOutcome> {
  const bound = await bind(ctx, t);
  if ("outcome" in bound) return bound.outcome;
  const { target, driver } = bound;
  try {
    const envUnits = await driver.observe({
      namespace: ctx.namespace,
      environment: ctx.deployment.spec.environment,
      target: t.name,
    });
    const inPlace = rollsInPlace(driver, ctx.settings.strategy);
    const bad = envUnits.filter((u) => u.release !== previous.metadata.name);
    const running = envUnits.filter((u) => u.release === previous.metadata.name && u.running);
    const prevSlot =
      running[0]?.slot ??
      (inPlace
        ? (t.slot ?? bad[0]?.slot ?? "blue")
        : otherSlot(t.slot ?? chooseSlot(envUnits, nameOf(ctx.release), nameOf(previous))));
    // In place, the previous release is rolled out over the bad units, which the platform stops
    // as it goes; removing them first would leave nothing serving (and delete an ECS service).
    if (bad.length && !inPlace) await driver.remove(bad);
    const self = ctx.deployment.metadata.name;
    if (
      !inPlace &&
      completeUnits(
        running.filter((u) => u.deployment !== self),
        previous,
        prevSlot,
      )
    ) {
      return {
        rollout: {
          ...t,
          phase: "RolledBack",
          message: `${previous.metadata.name} was still running in slot ${prevSlot}; the new units are removed`,
          completedAt: t.completedAt ?? stamp(ctx),
        },
        progressed: true,
      };
    }
    // In place, the platform may still be rolling the bad release out over previous units that
    // run, so the previous release is applied again whatever runs: a no-op once it is what the
    // platform rolls out (after the first pass, or when its own rollback put it back).
    let units = inPlace ? undefined : completeUnits(running, previous, prevSlot);
    if (!units) {
      const plan = await portPlan(ctx.ports, driver);
      const set = unitSet(previous, placement(ctx, t.name, prevSlot), plan, ctx.settings.strategy);
      await ctx.store(t.name, driver.render(set));
      units = await driver.apply(set, ctx.applyContext(target, previous));
    }
    const health = await assess(ctx, driver, previous, units);
    const waiting = health.findIndex((h) => h.verdict !== "Healthy");
    if (waiting < 0) {
      const left = bad.filter((u) => !units!.some((n) => n.id === u.id));
      if (inPlace && left.length) await driver.remove(left);
      return {
        rollout: {
          ...t,
          phase: "RolledBack",
          message: `${previous.metadata.name} runs again in slot ${prevSlot}`,
          completedAt: t.completedAt ?? stamp(ctx),
        },
        progressed: true,
      };
    }
    return {
      rollout: {
        ...t,
        message: `rolling back: waiting for ${units[waiting].component} of ${previous.metadata.name} to become healthy: ${health[waiting].message}`,
      },
      progressed: false,
    };
  } catch (err) {
    return driverTrouble(t, err, ctx);
  }
}

/**
 * Removes the units of releases other than `keep` in the environment on a target (BlueGreen
 * scale-down), except those the deployments named in `spare` (newer ones) started: a deployment
 * that begins while this runs has its units in the other slot, and they are not the old release.
 * Then promotes whatever of `keep` the platform still holds back (Driver.promote).
 */
export async function scaleDownTarget(
  ctx: StepContext,
  t: TargetRollout,
  keep: string,
  spare: ReadonlySet<string> = new Set(),
): Promise<void> {
  const bound = await bind(ctx, t);
  if ("outcome" in bound) return;
  const scope = { namespace: ctx.namespace, environment: ctx.deployment.spec.environment, target: t.name };
  const units = await bound.driver.observe(scope);
  const old = units.filter((u) => u.release !== keep && !spare.has(u.deployment));
  if (old.length) await bound.driver.remove(old);
  // A platform holding `keep` for promotion is promoted even when none of the units it replaces
  // was left to remove (they had stopped on their own).
  await bound.driver.promote?.({ ...scope, release: keep });
}

function placement(ctx: StepContext, target: string, slot: Slot) {
  return {
    namespace: ctx.namespace,
    environment: ctx.deployment.spec.environment,
    deployment: ctx.deployment.metadata.name ?? "",
    target,
    slot,
  };
}

async function bind(
  ctx: StepContext,
  t: TargetRollout,
): Promise<{ target: Target; driver: Driver } | { outcome: StepOutcome }> {
  const target = ctx.target(t.name);
  if (!target)
    return {
      outcome: {
        rollout: {
          ...t,
          phase: "Failed",
          message: `target ${t.name} was deleted during the rollout`,
          completedAt: stamp(ctx),
        },
        progressed: true,
      },
    };
  try {
    return { target, driver: await ctx.driver(target) };
  } catch (err) {
    return { outcome: driverTrouble(t, err, ctx) };
  }
}

async function assess(
  ctx: StepContext,
  driver: Driver,
  release: Release,
  units: readonly ObservedUnit[],
): Promise<UnitHealth[]> {
  return Promise.all(
    units.map((u) =>
      ctx.health.assess(driver, u, release.spec.components.find((c) => c.name === u.component)?.healthCheck),
    ),
  );
}

/**
 * A driver failure: transient ones wait (the progress deadline bounds them), others fail the
 * target. A port range without a free pair waits too: other units may leave it.
 */
function driverTrouble(t: TargetRollout, err: unknown, ctx: StepContext): StepOutcome {
  if (err instanceof PortRangeExhaustedError)
    return { rollout: { ...t, message: `PortRangeExhausted: ${err.message}` }, progressed: false };
  if (!isDriverError(err)) throw err;
  const message = `${err.reason}: ${err.message}`;
  if (err.transient) return { rollout: { ...t, message }, progressed: false };
  return { rollout: { ...t, phase: "Failed", message, completedAt: stamp(ctx) }, progressed: true };
}

/** Artifacts of every target, for status.artifacts. */
export const allArtifacts = (targets: readonly TargetRollout[]): GeneratedArtifact[] =>
  targets.flatMap((t) => t.artifacts ?? []);
