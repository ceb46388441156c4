// The canary's units through the drivers, the way a BlueGreen deployment starts a release: on
// every target of the environment, the canary component of the canary release starts in the slot
// the stable unit does not use (labelled with the canary's name as its deployment), and is
// probed with the component's health check. The router is given both sides' addresses only once
// every canary unit is healthy. Everything is read back from the drivers on each pass, so a
// restarted controller finds the units it started. Units of the canary's release that another
// deployment or canary left in the free slot (an earlier canary's old stable units, whose
// scale-down is still due) carry no traffic: they go, and the canary starts its own, labelled with
// its name, which an earlier canary's scale-down spares.
import type { Canary } from "../../crds/canary.ts";
import type { Environment } from "../../crds/environment.ts";
import type { Release } from "../../crds/release.ts";
import type { Target } from "../../crds/target.ts";
import { isDriverError, type ApplyContext, type Driver, type ObservedUnit } from "../../sdk/plugins/driver.ts";
import type { RouteTarget } from "../../sdk/plugins/router.ts";
import {
  freezeTargets,
  type HealthTracker,
  otherSlot,
  portPlan,
  type PortRange,
  unitSet,
} from "../deployment/index.ts";
import { unitAddress } from "./addresses.ts";
import type { CanaryUnits } from "./deps.ts";
import { CanaryUnitsError, CanaryUnitsReasons as R } from "./errors.ts";

/** What the units are made from: informer caches, the driver pool, ports and health counters. */
export interface UnitWorld {
  environment(namespace: string, name: string): Environment | undefined;
  release(namespace: string, name: string): Release | undefined;
  targets(namespace: string): Target[];
  /** Every Canary of a namespace (a scale-down spares the units of canaries newer than its own). */
  canaries?(namespace: string): Canary[];
  drivers: { get(target: Target): Promise<Driver> };
  applyContext(target: Target, release: Release): ApplyContext;
  ports: PortRange;
  health: HealthTracker;
}

const waiting = (message: string) => new CanaryUnitsError(R.UnitsNotReady, message);

/** Whether canary `a` was created before `b` (by creation time, then name). */
const startedBefore = (a: Canary, b: Canary): boolean => {
  const [ta, tb] = [a, b].map((c) => Date.parse(c.metadata.creationTimestamp ?? "") || 0);
  return ta !== tb ? ta < tb : (a.metadata.name ?? "") < (b.metadata.name ?? "");
};

/** Canary units on an environment's targets through their drivers. */
export class DriverUnits implements CanaryUnits {
  constructor(private readonly world: UnitWorld) {}

  /** Starts the canary units unless they run; the route target once every one is healthy. */
  async ensure(canary: Canary, signal?: AbortSignal): Promise<RouteTarget> {
    const { ns, environment, release, component } = this.#read(canary);
    const stable = canary.status?.stableRelease;
    if (!stable) throw waiting(`environment ${environment.metadata.name} has no stable release yet`);
    if (stable === release.metadata.name)
      throw new CanaryUnitsError(R.InvalidCanary, `release ${stable} is already the stable release`);
    const targets = freezeTargets(environment, this.world.targets(ns));
    if (targets.length === 0) throw waiting(`environment ${environment.metadata.name} selects no targets`);
    const route: RouteTarget = {
      namespace: ns,
      environment: canary.spec.environment,
      component,
      stable: [],
      canary: [],
    };
    for (const target of targets) {
      try {
        const [s, c] = await this.#onTarget(canary, target, stable, release, signal);
        route.stable = [...route.stable, s];
        route.canary = [...route.canary, c];
      } catch (err) {
        if (!isDriverError(err)) throw err;
        const reason = err.transient ? R.UnitsNotReady : R.CanaryUnhealthy;
        throw new CanaryUnitsError(reason, `target ${target.metadata.name}: ${err.reason}: ${err.message}`, {
          cause: err,
        });
      }
    }
    return route;
  }

  async removeCanary(canary: Canary, signal?: AbortSignal): Promise<void> {
    const name = canary.metadata.name;
    await this.#remove(canary, canary.spec.release, (u) => u.deployment === name, signal);
  }

  /** Removes the old stable release's units, but those a newer canary started (it may run that release again). */
  async removeStable(canary: Canary, signal?: AbortSignal): Promise<void> {
    const stable = canary.status?.stableRelease;
    if (!stable || stable === canary.spec.release) return;
    const newer = new Set(
      (this.world.canaries?.(canary.metadata.namespace ?? "default") ?? [])
        .filter((c) => c.metadata.uid !== canary.metadata.uid && !startedBefore(c, canary))
        .map((c) => c.metadata.name),
    );
    await this.#remove(canary, stable, (u) => !newer.has(u.deployment), signal);
    // A platform still holding the canary's release for promotion (its stable units had stopped
    // on their own, so none was removed) is promoted now.
    await this.#eachTarget(canary, async (driver, scope) => {
      await driver.promote?.({ ...scope, release: canary.spec.release }, signal);
    });
  }

  #read(canary: Canary) {
    const ns = canary.metadata.namespace ?? "default";
    const { component } = canary.spec;
    const environment = this.world.environment(ns, canary.spec.environment);
    if (!environment) throw waiting(`environment ${canary.spec.environment} not found`);
    const release = this.world.release(ns, canary.spec.release);
    if (!release) throw waiting(`release ${canary.spec.release} not found`);
    if (!release.spec.components.some((c) => c.name === component))
      throw new CanaryUnitsError(R.InvalidCanary, `release ${canary.spec.release} has no component ${component}`);
    if (!release.status?.components?.some((c) => c.name === component))
      throw waiting(`release ${canary.spec.release} is not resolved yet`);
    return { ns, environment, release, component };
  }

  /** The stable and canary addresses on one target, starting the canary unit when it does not run. */
  async #onTarget(canary: Canary, target: Target, stable: string, release: Release, signal?: AbortSignal) {
    const { namespace: ns = "default", name: canaryName = "" } = canary.metadata;
    const { environment, component } = canary.spec;
    const name = target.metadata.name ?? "";
    const driver = await this.world.drivers.get(target);
    const units = await driver.observe({ namespace: ns, environment, target: name }, signal);
    const stableUnit = units.find((u) => u.release === stable && u.component === component && u.running);
    if (!stableUnit) throw waiting(`no running ${component} unit of ${stable} on target ${name}`);
    // The free slot holds this canary's unit, or nothing it may keep: units of its release another
    // canary left (a canary back to the release an earlier one replaced), or of an older release a
    // BlueGreen deployment keeps until its scale-down. They carry no traffic, and they hold the
    // slot's host port, so they go before the canary's unit starts there.
    const inFreeSlot = units.filter((u) => u.component === component && u.slot !== stableUnit.slot);
    const foreign = inFreeSlot.filter((u) => u.release !== release.metadata.name || u.deployment !== canaryName);
    if (foreign.length) {
      await driver.remove(foreign, signal);
      this.world.health.forget(foreign.map((u) => u.id));
    }
    let unit = inFreeSlot.find((u) => u.deployment === canaryName);
    if (unit && !unit.running && (canary.status?.currentWeight ?? 0) > 0)
      throw new CanaryUnitsError(R.CanaryUnhealthy, `${unit.name} on ${name} stopped: ${unit.message ?? unit.state}`);
    if (!unit?.running) {
      const placement = { namespace: ns, environment, deployment: canaryName, target: name };
      const ports = await portPlan(this.world.ports, driver, signal);
      const set = unitSet(release, { ...placement, slot: otherSlot(stableUnit.slot) }, ports);
      const only = { ...set, units: set.units.filter((u) => u.component === component) };
      const applied = await driver.apply(only, { ...this.world.applyContext(target, release), signal });
      unit = applied.find((u) => u.component === component);
      if (!unit) throw waiting(`${component} of ${release.metadata.name} did not start on ${name}`);
    }
    const check = release.spec.components.find((c) => c.name === component)?.healthCheck;
    const health = await this.world.health.assess(driver, unit, check, signal);
    const what = `${component} of ${release.metadata.name} on ${name}`;
    if (health.verdict === "Unhealthy")
      throw new CanaryUnitsError(R.CanaryUnhealthy, `${what} is unhealthy: ${health.message}`);
    if (health.verdict !== "Healthy") throw waiting(`waiting for ${what} to become healthy: ${health.message}`);
    return [unitAddress(target, stableUnit), unitAddress(target, unit)] as const;
  }

  async #remove(canary: Canary, release: string, keep: (u: ObservedUnit) => boolean, signal?: AbortSignal) {
    await this.#eachTarget(canary, async (driver, scope) => {
      const units = await driver.observe({ ...scope, release }, signal);
      const gone = units.filter((u) => u.component === canary.spec.component && keep(u));
      if (gone.length) await driver.remove(gone, signal);
      this.world.health.forget(gone.map((u) => u.id));
    });
  }

  /** Runs `f` with the driver and scope of each target of the canary's environment. */
  async #eachTarget(
    canary: Canary,
    f: (driver: Driver, scope: { namespace: string; environment: string; target?: string }) => Promise<void>,
  ) {
    const ns = canary.metadata.namespace ?? "default";
    const environment = this.world.environment(ns, canary.spec.environment);
    if (!environment) return;
    for (const target of freezeTargets(environment, this.world.targets(ns))) {
      const driver = await this.world.drivers.get(target);
      await f(driver, { namespace: ns, environment: canary.spec.environment, target: target.metadata.name });
    }
  }
}
