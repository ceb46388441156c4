// The BlueGreen scale-down of a finished deployment, with a recording driver standing in for the
// target (the drivers themselves are tested against the engine and the contract fakes): it removes
// the release it replaced, never the units of a newer deployment, and leaves the targets alone
// once a newer deployment has started there (issue 14: on ECS the new slot's services went), nor
// the units of a standalone canary in the environment, and once such a canary has landed it leaves
// the targets to the canary's own scale-down.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Canary } from "../../crds/canary.ts";
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import type { Driver, ObservedUnit } from "../../sdk/plugins/driver.ts";
import type { StepContext } from "./context.ts";
import type { DeploymentDeps } from "./deps.ts";
import { afterEnd } from "./phase-finished.ts";

const unit = (release: string, deployment: string, slot: "blue" | "green"): ObservedUnit => ({
  id: `${release}-${slot}`,
  name: `web-${slot}/${release}`,
  namespace: "ns",
  environment: "prod",
  release,
  deployment,
  target: "t1",
  component: "web",
  slot,
  imageRef: "x",
  state: "running",
  running: true,
  ports: [],
});

const dep = (name: string, release: string, created: string, status: DeploymentStatus): Deployment =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name, namespace: "ns", creationTimestamp: created },
    spec: { release, environment: "prod" },
    status,
  }) as Deployment;

const T0 = Date.parse("2026-12-06T09:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const landed = (completed: number): DeploymentStatus => ({
  phase: "Succeeded",
  completedAt: at(completed),
  scaleDownAt: at(completed + 2),
  targets: [{ name: "t1", phase: "Succeeded", slot: "blue" }],
});

/** Runs the scale-down of `d` among `all` over `units`; resolves with what the driver was asked to remove. */
async function scaleDown(
  d: Deployment,
  all: Deployment[],
  units: ObservedUnit[],
  canaries: Canary[] = [],
): Promise<string[]> {
  const removed: string[] = [];
  const driver = {
    observe: async () => units,
    remove: async (us: readonly ObservedUnit[]) => void removed.push(...us.map((u) => u.id)),
  } as unknown as Driver;
  const ctx = {
    deployment: d,
    namespace: "ns",
    target: () => ({ metadata: { name: "t1" } }),
    driver: async () => driver,
  } as unknown as StepContext;
  const deps = {
    deployments: () => all,
    canaries: { inEnvironment: () => canaries },
  } as unknown as DeploymentDeps;
  const status = { ...d.status! };
  await afterEnd(deps, () => ctx, d, status, T0 + 60_000);
  assert.ok(status.scaledDownAt, "the scale-down is marked done either way");
  return removed.sort();
}

describe("BlueGreen scale-down", () => {
  const d0 = dep("d0", "v0", at(0), landed(5));
  const d1 = dep("d1", "v1", at(10), { ...landed(15), previousRelease: "v0" });

  it("removes the release it replaced and keeps its own", async () => {
    const removed = await scaleDown(d1, [d0, d1], [unit("v0", "d0", "green"), unit("v1", "d1", "blue")]);
    assert.deepEqual(removed, ["v0-green"]);
  });

  it("leaves the targets alone once a newer deployment has started there", async () => {
    const d2 = dep("d2", "v2", at(16), { phase: "Progressing", startedAt: at(16) });
    const units = [unit("v0", "d0", "green"), unit("v1", "d1", "blue"), unit("v2", "d2", "green")];
    assert.deepEqual(await scaleDown(d1, [d0, d1, d2], units), []);
  });

  it("never removes the units of a newer deployment that starts while it runs", async () => {
    // d2 is still Pending in the cache, but its units are already there (it started a moment ago).
    const d2 = dep("d2", "v2", at(16), {});
    const units = [unit("v0", "d0", "green"), unit("v1", "d1", "blue"), unit("v2", "d2", "green")];
    assert.deepEqual(await scaleDown(d1, [d0, d1, d2], units), ["v0-green"]);
  });

  it("does nothing once a newer deployment has landed", async () => {
    const d2 = dep("d2", "v2", at(16), { ...landed(20), previousRelease: "v1" });
    const units = [unit("v1", "d1", "blue"), unit("v2", "d2", "green")];
    assert.deepEqual(await scaleDown(d1, [d0, d1, d2], units), []);
  });

  const canary = (name: string, release: string, status: Canary["status"] = {}): Canary => ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: { name, namespace: "ns", creationTimestamp: at(16) },
    spec: { release, environment: "prod", component: "web" } as Canary["spec"],
    status,
  });

  it("spares the units of a standalone canary running in the environment", async () => {
    const units = [unit("v0", "d0", "green"), unit("v1", "d1", "blue"), unit("v2", "c2", "green")];
    const running = canary("c2", "v2", { phase: "Progressing" });
    assert.deepEqual(await scaleDown(d1, [d0, d1], units, [running]), ["v0-green"]);
  });

  it("does nothing once a standalone canary has landed since", async () => {
    const units = [unit("v1", "d1", "blue"), unit("v2", "c2", "green")];
    const succeeded = canary("c2", "v2", { phase: "Succeeded", completedAt: at(20) });
    assert.deepEqual(await scaleDown(d1, [d0, d1], units, [succeeded]), []);
  });
});
