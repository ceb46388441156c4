// The target controller against the real apiserver and the local Docker Engine: a docker target
// on the engine socket becomes Ready with the platform the engine reports and lists the units
// Stella runs there; a missing socket is Unreachable; an ssh target whose deploy key Secret is
// missing is SecretNotFound, naming it; an ecs target asking to assume a role (roleArn, not
// supported) is InvalidTarget, naming the field; fixing the spec flips the target. The engine
// suites are skipped locally when the estate is down and fail under CI=true.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Target } from "../../crds/target.ts";
import { MANAGED_BY, UnitLabels } from "../../sdk/plugins/driver.ts";
import { docker, estateSkipReason, REGISTRY } from "../estate/estate-env.ts";
import { dockerOn, readyOf, sshSpec, startTargetsEnv, target, waitFor, type TargetsEnv } from "./targets-env.ts";

const SOCKET = "/var/run/docker.sock";
const MISSING = "/run/stella-test-no-such-dir/docker.sock";
const skip = await estateSkipReason();

let t: TargetsEnv;
before(async () => {
  t = await startTargetsEnv();
});
after(async () => {
  if (!skip && t)
    await docker(
      "rm",
      "-f",
      ...(await docker("ps", "-aq", "--filter", `label=${UnitLabels.namespace}=${t.namespace}`))
        .split("\n")
        .filter(Boolean),
    ).catch(() => {});
  await t?.stop();
});

const get = (name: string) => () => t.targets.get(name, { namespace: t.namespace });
const readyIs = (status: string, reason?: string) => (o: Target) => {
  const c = readyOf(o);
  return c?.status === status && (reason === undefined || c.reason === reason);
};

describe("targets without an engine", () => {
  it("a docker target on a missing socket is Ready=False Unreachable, naming the socket", async () => {
    await t.targets.create(target(t.namespace, "nosock", dockerOn(MISSING)));
    const got = await waitFor(get("nosock"), "Ready=False Unreachable", readyIs("False", "Unreachable"));
    assert.match(readyOf(got)?.message ?? "", /no-such-dir/);
    assert.ok(got.status?.lastProbeTime, "a failed probe is still a probe");
    assert.equal(got.status?.observedGeneration, got.metadata.generation);
    assert.equal(got.status?.platform, undefined);
  });

  it("an ssh target without its deploy key Secret is Ready=False SecretNotFound, naming the Secret", async () => {
    await t.targets.create(target(t.namespace, "remote", sshSpec));
    const got = await waitFor(get("remote"), "Ready=False SecretNotFound", readyIs("False", "SecretNotFound"));
    assert.match(readyOf(got)?.message ?? "", /Secret [a-z0-9-]+\/deploy-ssh-key not found/);
  });

  it("an ecs target with roleArn is Ready=False InvalidTarget, naming spec.ecs.roleArn (no assume role yet)", async () => {
    const ecs = {
      driver: "ecs" as const,
      ecs: {
        region: "eu-west-1",
        cluster: "shop-prod",
        endpoint: "http://127.0.0.1:9",
        roleArn: "arn:aws:iam::000000000000:role/stella-deployer",
      },
    };
    await t.targets.create(target(t.namespace, "assume", ecs));
    const got = await waitFor(get("assume"), "Ready=False InvalidTarget", readyIs("False", "InvalidTarget"));
    assert.match(readyOf(got)?.message ?? "", /spec\.ecs\.roleArn .*not supported/);
  });
});

describe("targets on the local engine", { skip }, () => {
  it("a docker target on the engine socket is Ready with the engine's platform", async () => {
    const [version, os, arch] = (
      await docker("version", "--format", "{{.Server.Version}} {{.Server.Os}} {{.Server.Arch}}")
    ).split(" ");
    await t.targets.create(target(t.namespace, "local", dockerOn(SOCKET)));
    const got = await waitFor(get("local"), "Ready=True Reachable", readyIs("True", "Reachable"));
    assert.equal(readyOf(got)?.message, `Docker Engine ${version} ${os}/${arch}`);
    assert.deepEqual(got.status?.platform, { name: "Docker Engine", version, os, arch });
    assert.equal(got.status?.units, undefined, "nothing of this namespace runs there yet");
  });

  it("lists its units from their labels, and records later probes on its interval", async () => {
    await t.targets.create(target(t.namespace, "observer", dockerOn(SOCKET)));
    const first = await waitFor(get("observer"), "Ready=True", readyIs("True"));
    const name = `stella-${t.namespace}-dev-observer-web-blue`;
    const labels = {
      [UnitLabels.managedBy]: MANAGED_BY,
      [UnitLabels.namespace]: t.namespace,
      [UnitLabels.environment]: "dev",
      [UnitLabels.component]: "web",
      [UnitLabels.slot]: "blue",
      [UnitLabels.target]: "observer",
      [UnitLabels.release]: "shop-1-4-0",
      [UnitLabels.deployment]: "d1",
    };
    const id = await docker(
      "create",
      "--name",
      name,
      ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
      `${REGISTRY}/shop/web:1.4.0`,
    );
    const got = await waitFor(
      get("observer"),
      "listing the created container",
      (o) => (o.status?.units?.length ?? 0) > 0,
    );
    assert.deepEqual(got.status?.units, [
      {
        id,
        component: "web",
        release: "shop-1-4-0",
        deployment: "d1",
        image: `${REGISTRY}/shop/web:1.4.0`,
        state: "created",
      },
    ]);
    assert.ok(
      Date.parse(got.status!.lastProbeTime!) > Date.parse(first.status!.lastProbeTime!),
      "a probe with news is written at once",
    );
    const later = await waitFor(
      get("observer"),
      "a later probe with nothing new",
      (o) => Date.parse(o.status!.lastProbeTime!) > Date.parse(got.status!.lastProbeTime!),
    );
    assert.deepEqual(later.status?.units, got.status?.units);
    await docker("rm", "-f", id);
    await waitFor(get("observer"), "dropping the removed container", (o) => o.status?.units === undefined);
  });

  it("fixing a target's spec flips it to Ready, and breaking it flips it back", async () => {
    await t.targets.create(target(t.namespace, "flip", sshSpec));
    await waitFor(get("flip"), "SecretNotFound", readyIs("False", "SecretNotFound"));
    await t.targets.update({ ...(await get("flip")()), spec: dockerOn(SOCKET) });
    const fixed = await waitFor(get("flip"), "Ready=True after the fix", readyIs("True", "Reachable"));
    assert.equal(fixed.status?.observedGeneration, fixed.metadata.generation);
    await t.targets.patch("flip", { spec: { docker: { socket: MISSING } } }, { type: "merge", namespace: t.namespace });
    const broken = await waitFor(get("flip"), "Unreachable after breaking it", readyIs("False", "Unreachable"));
    assert.equal(broken.status?.platform, undefined);
  });

  it("probes cordoned targets too", async () => {
    await t.targets.create(target(t.namespace, "cordoned", { ...dockerOn(SOCKET), unschedulable: true }));
    await waitFor(get("cordoned"), "Ready=True", readyIs("True", "Reachable"));
  });

  it("never logs errors while doing all this", () => {
    assert.deepEqual(
      t.logs.filter((l) => JSON.parse(l).level === "error"),
      [],
    );
  });
});
