import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../../crds/meta.ts";
import { deploymentStrategy } from "./deployment.ts";

const deployment = (spec: Record<string, unknown> = {}): StellaObject => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "d", namespace: "shop" },
  spec: { release: "shop-1-4-0", environment: "dev", ...spec },
});
const requestedBy = (o: StellaObject) => (o.spec as { requestedBy?: unknown }).requestedBy;

test("a deployment records its creator, replacing a forged value, and keeps it on every update", () => {
  const created = deployment({ rollback: true, requestedBy: { username: "mallory" } });
  deploymentStrategy.prepareCreate!(created, { username: "alice", groups: ["oncall"] });
  assert.deepEqual(requestedBy(created), { username: "alice", groups: ["oncall"] });
  for (const sent of [{ requestedBy: { username: "mallory" } }, {}]) {
    const next = deployment({ paused: true, ...sent });
    deploymentStrategy.prepareUpdate!(next, created, undefined);
    assert.deepEqual(requestedBy(next), { username: "alice", groups: ["oncall"] });
  }
});
