import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Canary } from "../../../crds/canary.ts";
import type { Deployment } from "../../../crds/deployment.ts";
import type { EnvironmentSpec } from "../../../crds/environment.ts";
import type { GateRequest } from "../../../sdk/plugins/gate.ts";
import { soakGate } from "./gate.ts";
import { at, env, landed, ms, promotion, release } from "../../promotion/testing/objects.ts";

function evaluate(
  deps: Deployment[],
  now: number,
  spec: Partial<EnvironmentSpec> = {},
  rollback = false,
  canaries: Canary[] = [],
) {
  const staging = env("staging", { upstream: ["dev"], requiredSoak: "10m", ...spec });
  const req: Omit<GateRequest, "signal"> = {
    promotion: promotion("p", { rollback }),
    release: release("r1"),
    environment: staging,
    environments: new Map(),
    deployments: (e) => deps.filter((d) => d.spec.environment === e),
    canaries: (e) => canaries.filter((c) => c.spec.environment === e),
    secretValue: async () => "",
    now: new Date(now),
  };
  return soakGate.evaluate(req);
}

describe("soak gate", () => {
  it("waits while the release runs upstream, saying how long of how long, and asks again when it will be done", async () => {
    const r = await evaluate([landed("d1", "r1", "dev", 10)], ms(14, 12));
    assert.equal(r.verdict, "Pending");
    assert.equal(r.message, "release r1 has run in dev for 4m12s of the required 10m");
    assert.equal(r.retryAfterMs, 30_000, "capped so the message moves");
    const close = await evaluate([landed("d1", "r1", "dev", 10)], ms(19, 58));
    assert.equal(close.retryAfterMs, 2000);
  });

  it("passes once one uninterrupted run reached the soak, even after the release was replaced", async () => {
    const still = await evaluate([landed("d1", "r1", "dev", 10)], ms(20));
    assert.equal(still.verdict, "Passed");
    const replaced = await evaluate([landed("d1", "r1", "dev", 10), landed("d2", "r2", "dev", 25)], ms(40));
    assert.equal(replaced.verdict, "Passed");
    assert.deepEqual((replaced.inputs?.ran as Record<string, { ranForMs: number }>).dev.ranForMs, 15 * 60_000);
  });

  it("does not add separate runs up, and fails a release replaced too early that no longer runs", async () => {
    const deps = [landed("d1", "r1", "dev", 0), landed("d2", "r2", "dev", 6), landed("d3", "r1", "dev", 20)];
    const r = await evaluate(deps, ms(26));
    assert.equal(r.verdict, "Pending", "6m + 6m is not 10m");
    const gone = await evaluate([landed("d1", "r1", "dev", 0), landed("d2", "r2", "dev", 3)], ms(30));
    assert.equal(gone.verdict, "Failed");
    assert.match(
      gone.message,
      /ran in dev for only 3m of the required 10m and was replaced at .*; it no longer runs there/,
    );
  });

  it("is skipped by a rollback promotion only where the policy says skipSoak", async () => {
    const deps = [landed("d0", "r1", "staging", 0), landed("d0b", "r2", "staging", 5), landed("d1", "r1", "dev", 10)];
    assert.equal((await evaluate(deps, ms(11), {}, true)).verdict, "Pending");
    const skipped = await evaluate(deps, ms(11), { promotion: { rollback: { skipSoak: true } } }, true);
    assert.equal(skipped.verdict, "Skipped");
    assert.match(skipped.message, /promotion\.rollback\.skipSoak/);
    assert.equal(
      (await evaluate(deps, ms(11), { promotion: { rollback: { skipSoak: true } } }, false)).verdict,
      "Pending",
      "an ordinary promotion still soaks",
    );
  });

  it("is not skipped by a 'rollback' to a release that never ran in the environment", async () => {
    const r = await evaluate(
      [landed("d1", "r1", "dev", 10)],
      ms(11),
      { promotion: { rollback: { skipSoak: true } } },
      true,
    );
    assert.equal(r.verdict, "Pending");
    assert.equal(
      r.message,
      "release r1 has run in dev for 60s of the required 10m (not skipped although promotion.rollback.skipSoak is set: release r1 never ran in environment staging, so this is no rollback)",
    );
  });

  it("counts the run of a release a standalone canary landed, from the canary's success", async () => {
    const canary = {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Canary",
      metadata: { name: "web-r1", namespace: "shop", creationTimestamp: at(5) },
      spec: { release: "r1", environment: "dev", component: "web", router: { plugin: "haproxy" }, steps: [] },
      status: { phase: "Succeeded", completedAt: at(10) },
    } as unknown as Canary;
    const deps = [landed("d0", "r0", "dev", 0)];
    const waiting = await evaluate(deps, ms(14), {}, false, [canary]);
    assert.equal(waiting.verdict, "Pending");
    assert.equal(waiting.message, "release r1 has run in dev for 4m of the required 10m");
    assert.equal((waiting.inputs?.ran as Record<string, { canary?: string }>).dev.canary, "web-r1");
    assert.equal((await evaluate(deps, ms(20), {}, false, [canary])).verdict, "Passed");
    const owned = { ...canary, metadata: { ...canary.metadata, ownerReferences: [{ kind: "Deployment" }] } };
    const r = await evaluate(deps, ms(20), {}, false, [owned as unknown as Canary]);
    assert.notEqual(r.verdict, "Passed", "a Deployment's own canary lands through its Deployment only");
  });
});
