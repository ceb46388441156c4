import assert from "node:assert/strict";
import { test } from "node:test";
import type { Canary, CanaryStatus } from "./canary.ts";
import { CanaryControlRefusedError, decideCanaryControl } from "./canary-controls.ts";

const canary = (status: CanaryStatus, abort?: boolean): Canary => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Canary",
  metadata: { name: "web", namespace: "shop" },
  spec: {
    release: "r",
    environment: "prod",
    component: "web",
    router: { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:1", backend: "b" } },
    steps: [{ pause: {} }],
    ...(abort ? { abort } : {}),
  },
  status,
});

test("promote releases the pause the canary waits at", () => {
  assert.deepEqual(decideCanaryControl("promote", canary({ phase: "Paused", currentStepIndex: 3 })).spec, {
    promotedStep: 3,
  });
  assert.deepEqual(decideCanaryControl("promote-full", canary({ phase: "Progressing" })).spec, { promoteFull: true });
  assert.deepEqual(decideCanaryControl("abort", canary({ phase: "Paused" })).spec, { abort: true });
});

test("a control that cannot act names the phase", () => {
  const refused = (f: () => unknown, message: RegExp) =>
    assert.throws(f, (err) => err instanceof CanaryControlRefusedError && message.test(err.message));
  refused(() => decideCanaryControl("promote", canary({ phase: "Progressing" })), /is Progressing, not paused/);
  refused(() => decideCanaryControl("abort", canary({ phase: "Succeeded" })), /is succeeded; nothing to abort/);
  refused(() => decideCanaryControl("promote", canary({ phase: "Paused" }, true)), /is being aborted/);
});
