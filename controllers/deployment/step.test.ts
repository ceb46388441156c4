import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Deployment, TargetRollout } from "../../crds/deployment.ts";
import type { DeploymentStrategy } from "../../crds/deployment-strategy.ts";
import type { Release } from "../../crds/release.ts";
import type { Target } from "../../crds/target.ts";
import type { ApplyContext, Driver, ObservedUnit, Slot, UnitSet } from "../../sdk/plugins/driver.ts";
import type { StepContext } from "./context.ts";
import { HealthTracker } from "./health.ts";
import { DEFAULT_PORT_RANGE } from "./ports.ts";
import type { EffectiveSettings } from "./settings.ts";
import { chooseSlot, rollBackTarget, rollsInPlace, scaleDownTarget } from "./step.ts";

const unit = (release: string, slot: Slot, running = true): ObservedUnit => ({
  id: `${release}-${slot}`,
  name: `${release}-${slot}`,
  namespace: "shop",
  environment: "prod",
  release,
  deployment: `d-${release}`,
  target: "prod-ecs",
  component: "web",
  slot,
  imageRef: "r/web@sha256:" + "a".repeat(64),
  state: running ? "running" : "exited",
  running,
  ports: [],
});

const driver = (capabilities?: Driver["capabilities"]) => ({ capabilities }) as Driver;
const strategy = (type: DeploymentStrategy["type"]) => ({ type }) as DeploymentStrategy;

describe("choosing a release's slot", () => {
  it("puts the next release beside the current one, or over it in place", () => {
    const now = [unit("v1", "green")];
    assert.equal(chooseSlot(now, "v2", "v1"), "blue");
    assert.equal(chooseSlot(now, "v2", "v1", true), "green");
    assert.equal(chooseSlot([], "v1", undefined, true), "blue");
  });

  it("keeps a release in the slot it already runs in, in place or not", () => {
    const now = [unit("v1", "blue"), unit("v2", "green")];
    assert.equal(chooseSlot(now, "v2", "v1"), "green");
    assert.equal(chooseSlot(now, "v2", "v1", true), "green");
  });

  it("follows the previous release's running units over a stopped leftover", () => {
    const now = [unit("v0", "blue", false), unit("v1", "green")];
    assert.equal(chooseSlot(now, "v2", "v1", true), "green");
    assert.equal(chooseSlot(now, "v2", "v1"), "blue");
  });
});

describe("rolling in place", () => {
  it("is for Rolling and AllAtOnce on a driver that rolls in place, never for BlueGreen or Canary", () => {
    const ecs = driver({ nativeRollout: true, rollsInPlace: true });
    const nomad = driver({ nativeRollout: true });
    assert.equal(rollsInPlace(ecs, strategy("Rolling")), true);
    assert.equal(rollsInPlace(ecs, strategy("AllAtOnce")), true);
    assert.equal(rollsInPlace(ecs, strategy("BlueGreen")), false);
    assert.equal(rollsInPlace(ecs, strategy("Canary")), false);
    assert.equal(rollsInPlace(nomad, strategy("Rolling")), false);
    assert.equal(rollsInPlace(driver(), strategy("Rolling")), false);
  });
});

const release = (name: string): Release =>
  ({
    metadata: { name, namespace: "shop" },
    spec: { components: [{ name: "web", image: "r/web" }] },
    status: {
      components: [{ name: "web", imageRef: `r/web@sha256:${(name === "v1" ? "a" : "b").repeat(64)}` }],
    },
  }) as unknown as Release;

/** A platform that rolls in place: v1's unit still runs beside v2's while it rolls v2 out. */
function platform() {
  const calls: string[] = [];
  const driver: Driver = {
    name: "fake",
    capabilities: { nativeRollout: true, rollsInPlace: true },
    probe: async () => ({ name: "fake" }),
    observe: async () => [unit("v1", "blue"), { ...unit("v2", "blue"), deployment: "d2" }],
    render: () => [],
    apply: async (set: UnitSet) => {
      calls.push(`apply ${set.release} in ${set.slot}`);
      return [{ ...unit(set.release, set.slot), id: "v1-again", deployment: set.deployment }];
    },
    remove: async (units) => void calls.push(`remove ${units.map((u) => u.release).join(",")}`),
    check: async () => ({ healthy: true, message: "ok" }),
    close: async () => {},
  };
  const ctx = {
    deployment: { metadata: { name: "d2", namespace: "shop" }, spec: { environment: "prod" } } as Deployment,
    namespace: "shop",
    environment: undefined,
    release: release("v2"),
    previous: release("v1"),
    settings: { strategy: { type: "Rolling" } } as EffectiveSettings,
    target: (name: string) => ({ metadata: { name, namespace: "shop" } }) as Target,
    driver: async () => driver,
    applyContext: () => ({}) as ApplyContext,
    store: async () => [],
    health: new HealthTracker(),
    ports: DEFAULT_PORT_RANGE,
    now: () => 0,
    log: undefined as never,
  } satisfies StepContext;
  return { ctx, calls };
}

describe("rolling back in place", () => {
  it("rolls the previous release out again over the bad one, even while the previous units still run", async () => {
    const { ctx, calls } = platform();
    const failed: TargetRollout = { name: "prod-ecs", slot: "blue", phase: "Failed" };
    const { rollout } = await rollBackTarget(ctx, failed, release("v1"));
    // Not "v1 was still running": the platform may still be replacing it with v2, so v1 is applied
    // (a no-op on the platform once v1 is what it rolls out), and the bad unit goes only after.
    assert.deepEqual(calls, ["apply v1 in blue", "remove v2"]);
    assert.equal(rollout.phase, "RolledBack");
    assert.equal(rollout.message, "v1 runs again in slot blue");
  });

  it("elsewhere, previous units still running are the whole rollback: the bad ones are removed", async () => {
    const { ctx, calls } = platform();
    const driver = await ctx.driver();
    const beside = { ...driver, capabilities: { nativeRollout: false } } as Driver;
    const failed: TargetRollout = { name: "t", slot: "green", phase: "Failed" };
    const observe = async () => [unit("v1", "blue"), { ...unit("v2", "green"), deployment: "d2" }];
    const { rollout } = await rollBackTarget(
      { ...ctx, driver: async () => ({ ...beside, observe }) as Driver },
      failed,
      release("v1"),
    );
    assert.deepEqual(calls, ["remove v2"]);
    assert.equal(rollout.phase, "RolledBack");
    assert.match(rollout.message ?? "", /v1 was still running in slot blue/);
  });
});

describe("scaling down after BlueGreen", () => {
  it("removes the old release's units, spares a newer deployment's, then promotes what the platform holds of the kept one", async () => {
    const { ctx, calls } = platform();
    const driver = await ctx.driver();
    const observe = async () => [unit("v1", "blue"), unit("v0", "blue"), { ...unit("v3", "green"), deployment: "d3" }];
    const promote: Driver["promote"] = async (f) =>
      void calls.push(`promote ${f.release} in ${f.environment}/${f.target}`);
    const t: TargetRollout = { name: "prod-ecs", slot: "green", phase: "Succeeded" };
    await scaleDownTarget(
      { ...ctx, driver: async () => ({ ...driver, observe, promote }) as Driver },
      t,
      "v2",
      new Set(["d3"]),
    );
    assert.deepEqual(calls, ["remove v1,v0", "promote v2 in prod/prod-ecs"]);
  });

  it("promotes even when no unit of the old release is left to remove (its tasks stopped on their own)", async () => {
    const { ctx, calls } = platform();
    const driver = await ctx.driver();
    const observe = async () => [{ ...unit("v2", "green"), deployment: "d2" }];
    const promote: Driver["promote"] = async (f) => void calls.push(`promote ${f.release}`);
    const t: TargetRollout = { name: "prod-ecs", slot: "green", phase: "Succeeded" };
    await scaleDownTarget({ ...ctx, driver: async () => ({ ...driver, observe, promote }) as Driver }, t, "v2");
    assert.deepEqual(calls, ["promote v2"]);
  });
});
