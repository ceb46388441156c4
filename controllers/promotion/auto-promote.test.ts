import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Canary } from "../../crds/canary.ts";
import type { Deployment } from "../../crds/deployment.ts";
import { autoPromotion, autoPromotionCandidate, autoPromotionName } from "./auto-promote.ts";
import { at, deployment, env, landed, promotion } from "./testing/objects.ts";

const prod = env("prod", { upstream: ["staging", "qa"], promotion: { autoPromote: true } });
const of = (deps: Deployment[]) => (e: string) => deps.filter((d) => d.spec.environment === e);

describe("auto-promotion", () => {
  it("picks the newest release that landed in every upstream environment", () => {
    const deps = [
      landed("s1", "r1", "staging", 1),
      landed("q1", "r1", "qa", 2),
      landed("s2", "r2", "staging", 3),
      landed("q2", "r2", "qa", 4),
      landed("s3", "r3", "staging", 5),
    ];
    const c = autoPromotionCandidate(prod, of(deps), []);
    assert.deepEqual(c, { release: "r2", eligibleAt: at(4), upstream: ["staging", "qa"] });
    const p = autoPromotion(prod, c!);
    assert.equal(p.metadata.name, "r2-to-prod");
    assert.deepEqual(p.spec, {
      release: "r2",
      environment: "prod",
      reason: `auto-promotion: release r2 succeeded in staging, qa (eligible since ${at(4)})`,
    });
    assert.equal(p.metadata.labels?.["stella.io/auto-promoted"], "true");
  });

  it("promotes once: not when a promotion of the release exists, nor a release the environment ran", () => {
    const deps = [landed("s1", "r1", "staging", 1), landed("q1", "r1", "qa", 2)];
    assert.equal(
      autoPromotionCandidate(prod, of(deps), [promotion("by-hand", { release: "r1", environment: "prod" })]),
      undefined,
    );
    assert.equal(autoPromotionCandidate(prod, of([...deps, landed("p1", "r1", "prod", 3)]), []), undefined);
  });

  it("ignores rollbacks upstream and environments without autoPromote", () => {
    const rb = deployment("s2", "r2", "staging", {
      phase: "RolledBack",
      rollback: { release: "r1", completedAt: at(5) },
    });
    const deps = [landed("s1", "r1", "staging", 1), landed("q1", "r0", "qa", 2), rb, landed("q2", "r1", "qa", 6)];
    assert.equal(
      autoPromotionCandidate(prod, of(deps), [])?.release,
      "r1",
      "r1's own landing in staging counts; the rollback landing does not move it",
    );
    assert.equal(autoPromotionCandidate(env("prod", { upstream: ["staging"] }), of(deps), []), undefined);
  });

  it("counts a standalone canary that landed, upstream and in the environment itself", () => {
    const canary = (name: string, release: string, environment: string, minute: number): Canary => ({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Canary",
      metadata: { name, namespace: "shop", creationTimestamp: at(minute) },
      spec: { release, environment, component: "web" } as Canary["spec"],
      status: { phase: "Succeeded", completedAt: at(minute) },
    });
    const deps = [landed("s1", "r1", "staging", 1), landed("q1", "r1", "qa", 2)];
    const canaries = [canary("c2", "r2", "staging", 3), canary("c3", "r2", "qa", 4)];
    const canariesOf = (list: Canary[]) => (e: string) => list.filter((c) => c.spec.environment === e);
    assert.equal(autoPromotionCandidate(prod, of(deps), [], canariesOf(canaries))?.release, "r2");
    assert.equal(autoPromotionCandidate(prod, of(deps), [])?.release, "r1", "without the canaries, r1");
    const inProd = [...canaries, canary("c4", "r2", "prod", 5)];
    assert.equal(autoPromotionCandidate(prod, of(deps), [], canariesOf(inProd)), undefined, "prod ran r2 already");
  });

  it("keeps long names valid", () => {
    assert.ok(autoPromotionName("r".repeat(200), "e".repeat(60)).length <= 253);
  });
});
