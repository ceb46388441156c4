import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DeploymentStrategy } from "../../crds/deployment-strategy.ts";
import type { Driver, ObservedUnit, Slot } from "../../sdk/plugins/driver.ts";
import { chooseSlot, rollsInPlace } from "./step.ts";

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
