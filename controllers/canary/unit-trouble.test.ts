import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Canary } from "../../crds/canary.ts";
import type { CanaryDeps } from "./deps.ts";
import { CanaryUnitsError, CanaryUnitsReasons } from "./errors.ts";
import { unitTrouble } from "./unit-trouble.ts";

const MIN = 60_000;

function world(now: number) {
  const removed: string[] = [];
  const evidence: { outcome?: string; reason?: string }[] = [];
  const deps: CanaryDeps = {
    router: () => assert.fail("no traffic moved: the router is not needed"),
    units: {
      ensure: async () => assert.fail("not called"),
      removeCanary: async (c) => void removed.push(c.metadata.name ?? ""),
      removeStable: async () => assert.fail("not called"),
    },
    secretValue: () => async () => "",
    recordEvidence: async (_ns, name, spec) => {
      const d = (spec as { decision?: { outcome?: string; reason?: string } }).decision ?? {};
      evidence.push(d);
      return name;
    },
    now: () => now,
  };
  return { deps, removed, evidence };
}

const canary = (spec: Partial<Canary["spec"]> = {}, status: Canary["status"] = {}): Canary =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: { name: "web-a", namespace: "shop", uid: "u1" },
    spec: {
      release: "shop-1-5-0",
      environment: "prod",
      component: "web",
      router: { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:9999", backend: "b" } },
      steps: [{ setWeight: 10 }],
      ...spec,
    },
    status,
  }) as Canary;

const notReady = new CanaryUnitsError(CanaryUnitsReasons.UnitsNotReady, "waiting for web of shop-1-5-0 on t1");

describe("unitTrouble: a canary waiting for its units", () => {
  it("waits while its units are not ready, remembering since when", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const { deps, removed } = world(t0);
    const r = await unitTrouble(canary(), {}, notReady, deps);
    assert.equal(r.status.phase, "Progressing");
    assert.equal(r.status.unitsWaitingSince, new Date(t0).toISOString());
    assert.ok((r.requeueAfter ?? 0) > 0);
    assert.deepEqual(removed, []);
  });

  it("fails with ProgressDeadlineExceeded once spec.progressDeadline has passed, removing its units", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const since = new Date(t0).toISOString();
    const early = world(t0 + 2 * MIN);
    const waiting = await unitTrouble(
      canary({ progressDeadline: "3m" }),
      { unitsWaitingSince: since },
      notReady,
      early.deps,
    );
    assert.equal(waiting.status.phase, "Progressing", "2 of 3 minutes: still waiting");
    assert.equal(waiting.status.unitsWaitingSince, since, "the wait counts from its start, not from each pass");

    const late = world(t0 + 3 * MIN + 1);
    const r = await unitTrouble(canary({ progressDeadline: "3m" }), { unitsWaitingSince: since }, notReady, late.deps);
    assert.equal(r.status.phase, "Failed");
    assert.match(r.status.message ?? "", /units not ready within 3m: waiting for web of shop-1-5-0 on t1/);
    assert.equal(r.status.conditions?.find((c) => c.type === "Complete")?.reason, "ProgressDeadlineExceeded");
    assert.deepEqual(late.removed, ["web-a"]);
    assert.equal(late.evidence.length, 1, "the decision is recorded as evidence");
  });

  it("without spec.progressDeadline the wait is 10 minutes", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const since = new Date(t0).toISOString();
    const nine = await unitTrouble(canary(), { unitsWaitingSince: since }, notReady, world(t0 + 9 * MIN).deps);
    assert.equal(nine.status.phase, "Progressing");
    const eleven = await unitTrouble(canary(), { unitsWaitingSince: since }, notReady, world(t0 + 11 * MIN).deps);
    assert.equal(eleven.status.phase, "Failed");
  });
});
