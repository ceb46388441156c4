// Where a starting deployment's rollback goes: the release that runs in the environment now, as its
// history says — the newest landed Deployment, or a standalone Canary that landed after it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Canary } from "../../crds/canary.ts";
import type { Deployment } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import type { Release } from "../../crds/release.ts";
import type { Target } from "../../crds/target.ts";
import type { DeploymentDeps } from "./deps.ts";
import { startDeployment } from "./phase-pending.ts";

const T0 = Date.parse("2026-12-06T09:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const meta = (name: string, created = 0) => ({ name, namespace: "ns", creationTimestamp: at(created) });

const env = { kind: "Environment", metadata: meta("prod"), spec: { targetSelector: {} } } as unknown as Environment;
const target = { kind: "Target", metadata: meta("t1"), spec: { driver: "docker" } } as unknown as Target;
const ready = (name: string) =>
  ({
    kind: "Release",
    metadata: meta(name),
    spec: { version: name, components: [] },
    status: { conditions: [{ type: "Ready", status: "True" }] },
  }) as unknown as Release;
const dep = (name: string, release: string, status: Deployment["status"] = {}) =>
  ({ kind: "Deployment", metadata: meta(name, 1), spec: { release, environment: "prod" }, status }) as Deployment;
const v1 = dep("d1", "v1", { phase: "Succeeded", completedAt: at(10) });
const c2 = {
  kind: "Canary",
  metadata: meta("c2", 20),
  spec: { release: "v2", environment: "prod", component: "web" },
  status: { phase: "Succeeded", completedAt: at(30) },
} as unknown as Canary;

async function previousOf(canaries: Canary[]): Promise<string | undefined> {
  const d3 = dep("d3", "v3");
  const deps = {
    environment: () => env,
    release: (_ns: string, name: string) => ready(name),
    deployments: () => [v1, d3],
    deployment: () => undefined,
    targets: () => [target],
    locks: { acquire: async () => ({ held: true }) },
    canaries: { inEnvironment: () => canaries },
    log: { info: () => {}, error: () => {} },
  } as unknown as DeploymentDeps;
  const { status } = await startDeployment(deps, d3, {}, T0 + 60_000);
  assert.equal(status.phase, "Progressing", status.message);
  return status.previousRelease;
}

describe("a starting deployment's rollback point", () => {
  it("is the newest landed deployment's release", async () => {
    assert.equal(await previousOf([]), "v1");
  });

  it("is a standalone canary's release when the canary landed after it", async () => {
    assert.equal(await previousOf([c2]), "v2");
  });

  it("is not a canary that has not landed", async () => {
    assert.equal(await previousOf([{ ...c2, status: { phase: "Progressing" } } as Canary]), "v1");
  });
});
