// A deployment that finds identical units already running adopts them as they are (no container
// is recreated) and still stores what it generated, so `stella deployment artifacts` always has an
// answer: here a second deployment of the same release, as after a data directory was reset.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
  containers,
  deployment,
  dockerTarget,
  environment,
  release,
  startDeployEnv,
  waitPhase,
  web,
  worker,
  type DeployEnv,
} from "./deploy-env.ts";

const skip = await estateSkipReason();

describe("adopting running units", { skip }, () => {
  let de: DeployEnv;
  before(async () => {
    de = await startDeployEnv();
    await de.releases.create(release(de.namespace, "shop-1-4-0", [web("1.4.0"), worker()]));
  });
  after(async () => await de?.stop());

  it("stores the artifacts of units it adopted, with the digests they were made from", async () => {
    const ns = de.namespace;
    await de.environments.create(
      environment(ns, "dev", { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "1m" } }),
    );
    await de.targets.create(dockerTarget(ns, "dev-docker", "dev"));
    await de.deployments.create(deployment(ns, "first", { release: "shop-1-4-0", environment: "dev" }));
    const first = await waitPhase(de, "first", ["Succeeded", "Failed", "RolledBack"]);
    assert.equal(first.status?.phase, "Succeeded", first.status?.message);
    const before = (await containers(ns, { environment: "dev" })).map((c) => c.id).sort();

    await de.deployments.create(deployment(ns, "again", { release: "shop-1-4-0", environment: "dev" }));
    const again = await waitPhase(de, "again", ["Succeeded", "Failed", "RolledBack"]);
    assert.equal(again.status?.phase, "Succeeded", again.status?.message);
    assert.deepEqual(
      (await containers(ns, { environment: "dev" })).map((c) => c.id).sort(),
      before,
      "adopted, not recreated",
    );
    const digests = (d: typeof first) => (d.status?.artifacts ?? []).map((a) => `${a.component}:${a.digest}`).sort();
    assert.equal(digests(again).length, 2, "the adopting deployment stored its artifacts");
    assert.deepEqual(digests(again), digests(first));
  });
});
