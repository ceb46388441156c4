import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Canary } from "../../crds/canary.ts";
import type { Environment } from "../../crds/environment.ts";
import type { Release } from "../../crds/release.ts";
import type { Target } from "../../crds/target.ts";
import type { Driver, ObservedUnit, Slot, UnitSet } from "../../sdk/plugins/driver.ts";
import { HealthTracker } from "../deployment/index.ts";
import { DriverUnits } from "./driver-units.ts";

const NS = "shop";
const DIGEST = "@sha256:" + "a".repeat(64);

/** A driver over an in-memory host: what apply starts runs, what remove takes goes. */
function memoryDriver() {
  const units: ObservedUnit[] = [];
  let seq = 0;
  const unit = (u: Partial<ObservedUnit> & Pick<ObservedUnit, "release" | "deployment" | "slot">): ObservedUnit => ({
    id: `u${++seq}`,
    name: `web-${u.release}-${u.slot}`,
    namespace: NS,
    environment: "prod",
    target: "t1",
    component: "web",
    imageRef: `shop/web${DIGEST}`,
    state: "running",
    running: true,
    ports: [{ name: "http", containerPort: 8080, hostPort: 20000 + seq }],
    ...u,
  });
  const driver = {
    name: "memory",
    capabilities: { nativeRollout: false },
    observe: async (filter: Partial<Record<keyof ObservedUnit, unknown>> = {}) =>
      units.filter(
        (u) =>
          u.running && Object.entries(filter).every(([k, v]) => v === undefined || u[k as keyof ObservedUnit] === v),
      ),
    apply: async (set: UnitSet) =>
      set.units.map(() => {
        const u = unit({ release: set.release, deployment: set.deployment, slot: set.slot });
        units.push(u);
        return u;
      }),
    remove: async (gone: readonly ObservedUnit[]) => {
      for (const g of gone) units.splice(units.indexOf(units.find((u) => u.id === g.id)!), 1);
    },
  } as unknown as Driver;
  return { driver, units, unit };
}

const release = (name: string): Release =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Release",
    metadata: { name, namespace: NS },
    spec: { components: [{ name: "web", image: "shop/web:x", ports: [{ name: "http", containerPort: 8080 }] }] },
    status: { components: [{ name: "web", imageRef: `shop/web${DIGEST}` }] },
  }) as unknown as Release;

const canary = (name: string, rel: string, stable: string, created: string): Canary =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: { name, namespace: NS, uid: name, creationTimestamp: created },
    spec: { release: rel, environment: "prod", component: "web", router: { plugin: "haproxy" }, steps: [] },
    status: { stableRelease: stable },
  }) as unknown as Canary;

function world(driver: Driver, canaries: Canary[]) {
  const env = {
    metadata: { name: "prod", namespace: NS },
    spec: { targetSelector: { matchLabels: { env: "prod" } } },
  } as unknown as Environment;
  const target = { metadata: { name: "t1", namespace: NS, labels: { env: "prod" } }, spec: { driver: "docker" } };
  return new DriverUnits({
    environment: () => env,
    release: (_ns, name) => release(name),
    targets: () => [target as unknown as Target],
    canaries: () => canaries,
    drivers: { get: async () => driver },
    applyContext: () => ({ secretValue: async () => "", pullCredential: async () => undefined }),
    ports: { from: 20000, to: 20999 },
    health: new HealthTracker(),
  });
}

describe("DriverUnits: a canary of the release an earlier canary replaced, before that one scaled down", () => {
  it("starts its own units instead of taking the old ones, and the earlier scale-down spares them", async () => {
    const { driver, units, unit } = memoryDriver();
    // C1 took prod from 1.5.0 to 1.4.0 and succeeded; 1.5.0's units wait for C1's scale-down.
    units.push(unit({ release: "shop-1-4-0", deployment: "c1", slot: "green" as Slot }));
    units.push(unit({ release: "shop-1-5-0", deployment: "shop-1-5-0-prod", slot: "blue" as Slot }));
    const c1 = canary("c1", "shop-1-4-0", "shop-1-5-0", "2026-01-01T10:00:00Z");
    const c2 = canary("c2", "shop-1-5-0", "shop-1-4-0", "2026-01-01T10:05:00Z");
    const units2 = world(driver, [c1, c2]);

    const route = await units2.ensure(c2);
    const mine = units.filter((u) => u.deployment === "c2");
    assert.equal(mine.length, 1, "c2 runs a unit of its own");
    assert.equal(mine[0].slot, "blue", "in the free slot");
    assert.ok(!units.some((u) => u.deployment === "shop-1-5-0-prod"), "the old unit there went");
    assert.deepEqual(route.canary, [`127.0.0.1:${mine[0].ports[0].hostPort}`]);

    await units2.removeStable(c1);
    assert.deepEqual(
      units.map((u) => `${u.release}/${u.deployment}`).sort(),
      ["shop-1-4-0/c1", "shop-1-5-0/c2"],
      "c1's scale-down spares the units of the newer c2",
    );
  });

  it("a scale-down still removes old stable units that an older canary started", async () => {
    const { driver, units, unit } = memoryDriver();
    units.push(unit({ release: "shop-1-4-0", deployment: "c0", slot: "blue" as Slot }));
    units.push(unit({ release: "shop-1-5-0", deployment: "c1", slot: "green" as Slot }));
    const c0 = canary("c0", "shop-1-4-0", "shop-1-3-0", "2026-01-01T09:00:00Z");
    const c1 = canary("c1", "shop-1-5-0", "shop-1-4-0", "2026-01-01T10:00:00Z");
    await world(driver, [c0, c1]).removeStable(c1);
    assert.deepEqual(
      units.map((u) => u.release),
      ["shop-1-5-0"],
    );
  });

  it("a scale-down then promotes what the platform holds of the canary's release, even with no stable unit left", async () => {
    const { driver, units, unit } = memoryDriver();
    const promoted: string[] = [];
    const native = {
      ...driver,
      promote: async (f: { release: string; environment?: string; target?: string }) =>
        void promoted.push(`${f.release} in ${f.environment}/${f.target}`),
    } as Driver;
    units.push(unit({ release: "shop-1-5-0", deployment: "c1", slot: "green" as Slot }));
    const c1 = canary("c1", "shop-1-5-0", "shop-1-4-0", "2026-01-01T10:00:00Z");
    await world(native, [c1]).removeStable(c1);
    assert.deepEqual(promoted, ["shop-1-5-0 in prod/t1"]);
    assert.deepEqual(
      units.map((u) => u.release),
      ["shop-1-5-0"],
    );
  });

  it("a canary within a BlueGreen deployment's scale-down delay: the kept release's units in the free slot go first", async () => {
    const { driver, units, unit } = memoryDriver();
    // Deployment d2 put 1.4.0 in blue and keeps 1.3.0 in green (same host port pair) for its scale-down.
    units.push(unit({ release: "shop-1-3-0", deployment: "d1", slot: "green" as Slot }));
    units.push(unit({ release: "shop-1-4-0", deployment: "d2", slot: "blue" as Slot }));
    const c1 = canary("c1", "shop-1-5-0", "shop-1-4-0", "2026-01-01T10:00:00Z");
    await world(driver, [c1]).ensure(c1);
    assert.deepEqual(
      units.map((u) => `${u.release}/${u.deployment}/${u.slot}`).sort(),
      ["shop-1-4-0/d2/blue", "shop-1-5-0/c1/green"],
      "1.3.0 left the green slot (and its port) to the canary; stable stays",
    );
  });
});
