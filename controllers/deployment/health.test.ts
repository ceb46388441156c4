// The health tracker with a scripted driver standing in for one probe at a time (the real drivers
// are tested against the engine in test/drivers/).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HealthCheck } from "../../crds/health-check.ts";
import type { Driver, ObservedUnit } from "../../sdk/plugins/driver.ts";
import { HealthTracker } from "./health.ts";

function scripted(results: boolean[]): { driver: Driver; calls: () => number } {
  let calls = 0;
  const driver = {
    check: async () => ({ healthy: results[calls++] ?? false, message: `probe ${calls}` }),
  } as unknown as Driver;
  return { driver, calls: () => calls };
}
const unit = (over: Partial<ObservedUnit> = {}): ObservedUnit => ({
  id: "c1",
  name: "web",
  namespace: "ns",
  environment: "dev",
  release: "r1",
  deployment: "d1",
  target: "t1",
  component: "web",
  slot: "blue",
  imageRef: "x",
  state: "running",
  running: true,
  ports: [],
  ...over,
});
const check: HealthCheck = {
  http: { path: "/healthz", port: "http" },
  interval: "2s",
  healthyThreshold: 2,
  unhealthyThreshold: 2,
};

describe("health tracker", () => {
  it("needs healthyThreshold consecutive successes, probing once per interval", async () => {
    let now = 0;
    const tracker = new HealthTracker(() => now);
    const { driver, calls } = scripted([true, true]);
    assert.deepEqual(await tracker.assess(driver, unit(), check), {
      verdict: "Unknown",
      message: "probe 1 (1 of 2 successes in a row)",
    });
    assert.equal(
      (await tracker.assess(driver, unit(), check)).verdict,
      "Unknown",
      "no second probe inside the interval",
    );
    assert.equal(calls(), 1);
    now = 2000;
    assert.equal((await tracker.assess(driver, unit(), check)).verdict, "Healthy");
  });

  it("turns Unhealthy after unhealthyThreshold consecutive failures; a success resets the count", async () => {
    let now = 0;
    const tracker = new HealthTracker(() => now);
    const { driver } = scripted([false, true, false, false]);
    for (const expected of ["Unknown", "Unknown", "Unknown", "Unhealthy"]) {
      assert.equal((await tracker.assess(driver, unit(), check)).verdict, expected);
      now += 2000;
    }
  });

  it("does not count failures inside startPeriod", async () => {
    let now = 0;
    const tracker = new HealthTracker(() => now);
    const { driver } = scripted([false, false, false, false]);
    const slow = { ...check, startPeriod: "5s" };
    for (let i = 0; i < 3; i++, now += 2000)
      assert.deepEqual(
        await tracker.assess(driver, unit(), slow),
        { verdict: "Unknown", message: `probe ${i + 1} (in its start period)` },
        `probe at ${now} ms is inside the start period`,
      );
    assert.deepEqual(
      await tracker.assess(driver, unit(), slow),
      { verdict: "Unknown", message: "probe 4 (1 of 2 failures in a row)" },
      "the first failure after the start period",
    );
    now += 2000;
    assert.equal((await tracker.assess(driver, unit(), slow)).verdict, "Unhealthy");
  });

  it("counts a unit that is not running as failing, and one without a check as healthy while it runs", async () => {
    const tracker = new HealthTracker(() => 0);
    const { driver, calls } = scripted([]);
    assert.equal((await tracker.assess(driver, unit({ id: "w" }), undefined)).verdict, "Healthy");
    const exited = unit({ id: "x", running: false, state: "exited", message: "exit code 1" });
    assert.deepEqual(await tracker.assess(driver, exited, check), { verdict: "Unknown", message: "exit code 1" });
    assert.equal((await tracker.assess(driver, exited, check)).verdict, "Unhealthy");
    assert.equal(calls(), 0);
  });
});
