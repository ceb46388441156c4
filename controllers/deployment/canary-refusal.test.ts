import { test } from "node:test";
import assert from "node:assert/strict";
import type { CanaryStrategy } from "../../crds/deployment-strategy.ts";
import type { Release, ReleaseComponent } from "../../crds/release.ts";
import { canaryRefusal } from "./canary-refusal.ts";

const plan: CanaryStrategy = {
  component: "web",
  router: { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:9999", backend: "web" } },
  steps: [{ setWeight: 50 }],
};
const web = (tag: string): ReleaseComponent => ({ name: "web", image: `registry/shop/web:${tag}` });
const worker = (tag: string): ReleaseComponent => ({ name: "worker", image: `registry/shop/worker:${tag}` });
const release = (name: string, components: ReleaseComponent[], digests: Record<string, string> = {}): Release =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Release",
    metadata: { name, namespace: "shop" },
    spec: { version: name, components },
    status: { components: Object.entries(digests).map(([c, digest]) => ({ name: c, digest })) },
  }) as Release;
const sha = (c: string) => `sha256:${c.repeat(64)}`;

const check = (r: Release, current?: Release) =>
  canaryRefusal({ plan, release: r, environment: "prod", current: current?.metadata.name, currentRelease: current });

test("a canary of the release's component from another current release may start", () => {
  assert.equal(check(release("v2", [web("2")]), release("v1", [web("1")])), undefined);
  const same = worker("1");
  assert.equal(check(release("v2", [web("2"), same]), release("v1", [web("1"), same])), undefined);
});

test("a component the release lacks is refused naming strategy.canary.component", () => {
  const refused = check(release("v2", [worker("2")]), release("v1", [web("1")]));
  assert.equal(refused?.reason, "CanaryComponentNotInRelease");
  assert.match(
    refused?.message ?? "",
    /^strategy\.canary\.component: release v2 has no component web \(it has worker\)/,
  );
});

test("an environment without a current release, or already on this one, is refused with what to do", () => {
  const first = check(release("v1", [web("1")]));
  assert.equal(first?.reason, "NoStableRelease");
  assert.match(first?.message ?? "", /prod has none yet: deploy the first release with another strategy/);
  const v1 = release("v1", [web("1")]);
  assert.equal(check(v1, v1)?.reason, "AlreadyCurrent");
});

test("a release that also changes another component, by spec or by pinned digest, is refused", () => {
  const changed = check(release("v2", [web("2"), worker("2")]), release("v1", [web("1"), worker("1")]));
  assert.equal(changed?.reason, "OtherComponentsChanged");
  assert.match(changed?.message ?? "", /also changes worker from v1/);
  const repinned = check(
    release("v2", [web("2"), worker("1")], { worker: sha("b") }),
    release("v1", [web("1"), worker("1")], { worker: sha("a") }),
  );
  assert.equal(repinned?.reason, "OtherComponentsChanged");
});
