import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Target } from "../../crds/target.ts";
import { deploymentOutcome } from "./outcome.ts";
import { deployment } from "./testing/objects.ts";

const target = (name: string, ready: "True" | "False"): Target =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name, namespace: "shop" },
    spec: { driver: "docker", docker: {} },
    status: {
      conditions: [
        {
          type: "Ready",
          status: ready,
          reason: ready === "True" ? "Reachable" : "Unreachable",
          message: ready === "True" ? "ok" : "connect ENOENT /nope.sock",
        },
      ],
    },
  }) as Target;
const none = () => undefined;

describe("what a promotion makes of its deployment", () => {
  it("follows a running deployment and moves on when it succeeded", () => {
    assert.deepEqual(
      deploymentOutcome(
        deployment("p", "r1", "dev", { phase: "Progressing", message: "t1: waiting for web" }),
        none,
        none,
      ),
      { state: "running", message: "deployment p is Progressing: t1: waiting for web" },
    );
    assert.equal(
      deploymentOutcome(deployment("p", "r1", "dev", { phase: "Succeeded" }), none, none).state,
      "succeeded",
    );
  });

  it("blames the release for a health failure or rollback: Failed", () => {
    const rb = deploymentOutcome(
      deployment("p", "r1", "dev", {
        phase: "RolledBack",
        targets: [{ name: "t1", phase: "RolledBack" }],
        rollback: { release: "r0", reason: "web is unhealthy: GET /healthz 500" },
      }),
      (n) => target(n, "True"),
      none,
    );
    assert.deepEqual(rb, {
      state: "ended",
      phase: "Failed",
      reason: "DeploymentRolledBack",
      message: "deployment p rolled back to r0: web is unhealthy: GET /healthz 500",
    });
  });

  it("blames the infrastructure when a target is unreachable or none was found: Errored", () => {
    const d = deployment("p", "r1", "dev", {
      phase: "RolledBack",
      message: "rolled back",
      targets: [
        { name: "t1", phase: "RolledBack" },
        { name: "t2", phase: "Failed" },
      ],
      rollback: { release: "r0" },
    });
    const o = deploymentOutcome(d, (n) => target(n, n === "t2" ? "False" : "True"), none);
    assert.equal(o.state === "ended" && o.phase, "Errored");
    assert.match(o.message, /target\(s\) t2 \(connect ENOENT \/nope\.sock\) were unreachable/);
    const noTargets = deploymentOutcome(
      deployment("p", "r1", "dev", {
        phase: "Failed",
        conditions: [{ type: "Complete", status: "False", reason: "NoTargets" }],
      }),
      none,
      none,
    );
    assert.deepEqual(noTargets.state === "ended" && [noTargets.phase, noTargets.reason], ["Errored", "NoTargets"]);
  });

  it("maps an aborted or superseded deployment onto the promotion", () => {
    const sup = deploymentOutcome(
      deployment("p", "r1", "dev", { phase: "Superseded", supersededBy: "q" }),
      none,
      (d) => (d === "q" ? "promo-q" : undefined),
    );
    assert.deepEqual(sup.state === "ended" && [sup.phase, sup.supersededBy], ["Superseded", "promo-q"]);
    const ab = deploymentOutcome(deployment("p", "r1", "dev", { phase: "Aborted" }), none, none);
    assert.equal(ab.state === "ended" && ab.phase, "Aborted");
  });
});
