// Each strategy rolling a real release out on the local estate (Docker Engine, registry, and
// docker-compose): the units run the pinned digests with Stella's labels, the previous release is
// replaced (or kept for BlueGreen's scale-down), what was generated is stored by digest, and the
// environment shows the release as current.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { artifactKind, type Artifact } from "../../crds/artifact.ts";
import { evidencePacketKind, type EvidencePacket } from "../../crds/evidence-packet.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import {
  containers,
  deployment,
  dockerTarget,
  composeTarget,
  environment,
  hostPort,
  page,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  web,
  worker,
  type DeployEnv,
} from "./deploy-env.ts";

const skip = await estateSkipReason();

describe("deployment strategies on the local estate", { skip }, () => {
  let de: DeployEnv;
  let ns: string;
  before(async () => {
    de = await startDeployEnv();
    ns = de.namespace;
    await de.releases.create(release(ns, "shop-1-4-0", [web("1.4.0"), worker()]));
    await de.releases.create(release(ns, "shop-1-5-0", [web("1.5.0"), worker()]));
  });
  after(async () => await de?.stop());

  it("AllAtOnce: both components run pinned by digest, artifacts are stored, the environment shows the release", async () => {
    await de.environments.create(
      environment(ns, "dev", { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "1m" } }),
    );
    await de.targets.create(dockerTarget(ns, "dev-docker", "dev"));
    await de.deployments.create(deployment(ns, "d1", { release: "shop-1-4-0", environment: "dev" }));
    const d = await waitPhase(de, "d1", ["Succeeded", "Failed", "RolledBack"]);
    assert.equal(d.status?.phase, "Succeeded", d.status?.message);
    assert.equal(d.status?.progress, "1/1");
    assert.equal(d.status?.strategy?.type, "AllAtOnce");
    const rel = await de.releases.get("shop-1-4-0");
    const running = await containers(ns, { environment: "dev" });
    assert.deepEqual(running.map((c) => c.labels["stella.io/component"]).sort(), ["web", "worker"]);
    for (const c of running) {
      assert.equal(c.state, "running");
      assert.equal(c.labels["stella.io/release"], "shop-1-4-0");
      assert.equal(c.labels["stella.io/deployment"], "d1");
      assert.equal(c.labels["stella.io/target"], "dev-docker");
    }
    const webUnit = running.find((c) => c.labels["stella.io/component"] === "web")!;
    assert.equal(await page(hostPort(webUnit)), "1.4.0");
    const pinned = rel.status?.components?.find((c) => c.name === "web")?.imageRef;
    assert.match(pinned ?? "", /@sha256:[a-f0-9]{64}$/);
    assert.ok(
      d.status?.targets?.[0].units?.some((u) => u.imageRef === pinned),
      "status names the pinned image",
    );
    const artifacts = d.status?.artifacts ?? [];
    assert.deepEqual(
      artifacts.map((a) => a.type),
      ["container-spec", "container-spec"],
    );
    for (const a of artifacts) {
      const stored = await de.admin.resource<Artifact>(artifactKind).get(a.digest.replace(":", "-"));
      assert.equal(stored.spec.size, a.size);
      assert.ok(stored.spec.content.includes(pinned!.split("@")[1]) || a.component === "worker");
    }
    const env = await waitFor(
      "dev to show shop-1-4-0",
      () => de.environments.get("dev"),
      (e) => e.status?.current?.release === "shop-1-4-0",
    );
    assert.equal(env.status?.current?.deployment, "d1");
    assert.equal(d.status?.evidence?.length, 1, "the outcome is recorded as evidence");
    const packet = await de.admin.resource<EvidencePacket>(evidencePacketKind).get(d.status!.evidence![0]);
    assert.equal(packet.spec.type, "DeploymentOutcome");
    assert.equal(packet.spec.decision.outcome, "Succeeded");
    assert.deepEqual(
      packet.spec.subjects?.map((s) => s.digest.sha256).sort(),
      rel.status?.components?.map((c) => c.digest.slice(7)).sort(),
    );
    assert.deepEqual(packet.spec.artifacts?.map((a) => a.digest).sort(), artifacts.map((a) => a.digest).sort());
  });

  it("Rolling: one target at a time; the previous release is replaced on each, never duplicated", async () => {
    await de.environments.create(
      environment(ns, "staging", {
        deployment: { strategy: { type: "Rolling", maxParallel: 1, maxUnavailable: 0 }, progressDeadline: "1m" },
      }),
    );
    for (const n of ["stg-a", "stg-b", "stg-c"]) await de.targets.create(dockerTarget(ns, n, "staging"));
    await de.deployments.create(deployment(ns, "s1", { release: "shop-1-4-0", environment: "staging" }));
    assert.equal((await waitPhase(de, "s1", ["Succeeded", "Failed", "RolledBack"])).status?.phase, "Succeeded");
    await de.deployments.create(deployment(ns, "s2", { release: "shop-1-5-0", environment: "staging" }));
    const d = await waitPhase(de, "s2", ["Succeeded", "Failed", "RolledBack"]);
    assert.equal(d.status?.phase, "Succeeded", d.status?.message);
    assert.equal(d.status?.previousRelease, "shop-1-4-0");
    const targets = d.status?.targets ?? [];
    assert.deepEqual(
      targets.map((t) => [t.name, t.batch, t.phase]),
      [
        ["stg-a", 0, "Succeeded"],
        ["stg-b", 1, "Succeeded"],
        ["stg-c", 2, "Succeeded"],
      ],
    );
    for (let i = 1; i < targets.length; i++)
      assert.ok(
        Date.parse(targets[i].startedAt!) >= Date.parse(targets[i - 1].completedAt!),
        `${targets[i].name} started after ${targets[i - 1].name} finished`,
      );
    const running = await containers(ns, { environment: "staging" });
    assert.equal(running.length, 6, running.map((c) => c.name).join(", "));
    assert.ok(running.every((c) => c.labels["stella.io/release"] === "shop-1-5-0"));
    for (const c of running.filter((c) => c.labels["stella.io/component"] === "web"))
      assert.equal(await page(hostPort(c)), "1.5.0");
  });

  it("BlueGreen on Compose: the new set starts beside the old, and the old is scaled down after scaleDownDelay", async () => {
    await de.environments.create(
      environment(ns, "prod", {
        deployment: { strategy: { type: "BlueGreen", scaleDownDelay: "10s" }, progressDeadline: "1m" },
      }),
    );
    await de.targets.create(composeTarget(ns, "prod-compose", "prod"));
    await de.deployments.create(deployment(ns, "p1", { release: "shop-1-4-0", environment: "prod" }));
    assert.equal((await waitPhase(de, "p1", ["Succeeded", "Failed", "RolledBack"])).status?.phase, "Succeeded");
    await de.deployments.create(deployment(ns, "p2", { release: "shop-1-5-0", environment: "prod" }));
    const d = await waitPhase(de, "p2", ["Succeeded", "Failed", "RolledBack"]);
    assert.equal(d.status?.phase, "Succeeded", d.status?.message);
    assert.ok(d.status?.scaleDownAt, "a scale-down time is set");
    assert.deepEqual(
      d.status?.artifacts?.map((a) => a.type),
      ["compose-file"],
    );
    const both = await containers(ns, { environment: "prod" });
    assert.deepEqual(
      [...new Set(both.map((c) => c.labels["stella.io/release"]))].sort(),
      ["shop-1-4-0", "shop-1-5-0"],
      "old and new run side by side until scale-down",
    );
    assert.deepEqual([...new Set(both.map((c) => c.labels["stella.io/slot"]))].sort(), ["blue", "green"]);
    assert.ok(both.every((c) => c.labels["com.docker.compose.project"] === `${ns}-prod-compose`));
    await waitPhase(de, "p2", ["Succeeded"]);
    await waitFor(
      "the old release to be scaled down",
      () => containers(ns, { environment: "prod" }),
      (cs) => cs.every((c) => c.labels["stella.io/release"] === "shop-1-5-0"),
    );
    // The controller records scaledDownAt after it has removed the old units, so the status write
    // may land a moment after the containers are gone.
    const later = await waitFor(
      "p2 to record the scale-down",
      () => de.deployments.get("p2"),
      (o) => Boolean(o.status?.scaledDownAt),
      15_000,
    );
    assert.ok(
      Date.parse(later.status!.scaledDownAt!) >= Date.parse(later.status!.scaleDownAt!),
      "scaled down no earlier than scaleDownAt",
    );
  });
});
