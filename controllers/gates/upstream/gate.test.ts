import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Deployment } from "../../../crds/deployment.ts";
import type { GateRequest } from "../../../sdk/plugins/gate.ts";
import { stintsOf } from "../landings.ts";
import { at, deployment, env, landed, ms, promotion, release } from "../../promotion/testing/objects.ts";
import { upstreamGate } from "./gate.ts";

const staging = env("staging", { upstream: ["dev", "qa"] });
const request = (deps: Deployment[], rel = "r1"): Omit<GateRequest, "signal"> => ({
  promotion: promotion("p", { release: rel }),
  release: release(rel),
  environment: staging,
  environments: new Map([
    ["dev", env("dev")],
    ["qa", env("qa")],
    ["staging", staging],
  ]),
  deployments: (e) => deps.filter((d) => d.spec.environment === e),
  secretValue: async () => "",
  now: new Date(ms(30)),
});

describe("upstream gate", () => {
  it("passes once the release landed in every upstream environment", async () => {
    const deps = [landed("d1", "r1", "dev", 1), landed("q1", "r1", "qa", 2), landed("d2", "r2", "dev", 3)];
    const r = await upstreamGate.evaluate(request(deps));
    assert.equal(r.verdict, "Passed");
    assert.equal(r.message, "release r1 succeeded in dev, qa");
    assert.deepEqual(r.inputs?.landed, {
      dev: { deployment: "d1", deployedAt: at(1) },
      qa: { deployment: "q1", deployedAt: at(2) },
    });
  });

  it("waits, naming what happened to the release where it has not landed", async () => {
    const deps = [
      landed("d1", "r1", "dev", 1),
      deployment("q1", "r1", "qa", { phase: "RolledBack", message: "rolled back to r0: web is unhealthy" }),
    ];
    const r = await upstreamGate.evaluate(request(deps));
    assert.equal(r.verdict, "Pending");
    assert.equal(
      r.message,
      "release r1 has not succeeded yet in qa (deployment q1 is RolledBack: rolled back to r0: web is unhealthy)",
    );
    const none = await upstreamGate.evaluate(request([]));
    assert.match(none.message, /dev \(no deployment of r1 there\); qa \(no deployment of r1 there\)/);
  });

  it("counts a release put back by a rollback as landed", async () => {
    const deps = [
      landed("d1", "r0", "dev", 1),
      landed("d2", "r1", "dev", 2),
      deployment("d3", "r2", "dev", { phase: "RolledBack", rollback: { release: "r1", completedAt: at(4) } }),
      landed("q1", "r1", "qa", 5),
    ];
    assert.equal((await upstreamGate.evaluate(request(deps))).verdict, "Passed");
    assert.deepEqual(
      stintsOf(
        deps.filter((d) => d.spec.environment === "dev"),
        "r1",
      ).map((s) => [s.deployment, s.rollback ?? false]),
      [
        ["d3", true],
        ["d2", false],
      ],
    );
  });
});
