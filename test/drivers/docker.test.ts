// The docker driver against the local engine: the shared conformance suite, then what only the
// docker driver has (a socket that is not there, pulls with registry credentials, containers
// changed behind its back, targets sharing one engine). Host ports 21000-21199; namespaces dkr-*.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import type { Target } from "../../crds/target.ts";
import { dockerDriver } from "../../controllers/drivers/docker/index.ts";
import {
  DriverReasons,
  isDriverError,
  type ApplyContext,
  type Driver,
  type UnitSet,
} from "../../sdk/plugins/driver.ts";
import { driverConformance, pinnedImage } from "../../sdk/testing/driver-conformance.ts";
import { engineFixture, noSecrets, removeContainers } from "./engine-fixture.ts";
import { AUTH_CREDENTIALS, AUTH_REGISTRY, docker, estateSkipReason, REGISTRY } from "../estate/estate-env.ts";

const skip = await estateSkipReason();
const run = randomBytes(3).toString("hex");
/**
 * The repository the credentials case pulls through the auth registry (pushed to the open one),
 * new each run: after one authenticated pull, dockerd 20.10 serves that repository's manifest by
 * digest from its own content store, so a second pull without credentials would succeed.
 */
const OWN_REPOSITORY = `estate-test/dkr-auth-${run}`;

/** A docker Target named `name` with these settings. */
function dockerTarget(name: string, settings: NonNullable<Target["spec"]["docker"]> = {}): Target {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name, namespace: "shop" },
    spec: { driver: "docker", docker: settings },
  } as Target;
}

driverConformance({
  name: "docker",
  skip,
  async setup() {
    const target = "dkr-local";
    return engineFixture({
      driver: await dockerDriver.create(dockerTarget(target), noSecrets),
      target,
      namespace: `dkr-${run}`,
      environment: "dev",
      portBase: 21000,
    });
  },
});

describe("docker driver on the local engine", { skip }, () => {
  const namespace = `dkr-${run}-x`;
  const drivers: Driver[] = [];
  let worker = "";
  after(async () => {
    if (skip) return;
    await removeContainers([namespace]);
    for (const ref of [
      `${REGISTRY}/${OWN_REPOSITORY}:1.4.0`,
      `${AUTH_REGISTRY}/${OWN_REPOSITORY}@${worker.slice(worker.indexOf("@") + 1)}`,
    ]) {
      await docker("rmi", ref).catch(() => ""); // untags only; the image stays under its other names
    }
    for (const d of drivers) await d.close();
  });

  async function bound(target: string): Promise<Driver> {
    const driver = await dockerDriver.create(dockerTarget(target), noSecrets);
    drivers.push(driver);
    return driver;
  }

  function workerSet(environment: string, target: string, imageRef: string, port: number): UnitSet {
    return {
      namespace,
      environment,
      release: "r1",
      deployment: "d1",
      target,
      slot: "blue",
      units: [
        { component: "worker", imageRef, env: [], ports: [{ name: "metrics", containerPort: 9090, hostPort: port }] },
      ],
    };
  }

  function context(credential?: { username: string; password: string }, progress?: string[]): ApplyContext {
    return {
      secretValue: async () => assert.fail("no secret expected"),
      pullCredential: async (registry) => (registry === AUTH_REGISTRY ? credential : undefined),
      progress: (m) => progress?.push(m),
    };
  }

  it("probe of a target whose socket does not exist throws Unreachable", async () => {
    const driver = await dockerDriver.create(
      dockerTarget("dkr-nowhere", { socket: `/tmp/stella-no-such-${run}.sock` }),
      noSecrets,
    );
    await assert.rejects(
      driver.probe(),
      (err) => isDriverError(err) && err.reason === DriverReasons.Unreachable && err.transient,
    );
    await assert.rejects(driver.observe(), (err) => isDriverError(err) && err.reason === DriverReasons.Unreachable);
  });

  it("probe of the local engine reports Docker Engine with version, os and arch", async () => {
    const info = await (await bound("dkr-local")).probe();
    assert.equal(info.name, "Docker Engine");
    assert.equal(info.version, await docker("version", "--format", "{{.Server.Version}}"));
    assert.equal(info.os, "linux");
    assert.ok(info.arch);
  });

  it("pulls from the basic-auth registry with credentials, and fails ImagePullFailed without", async () => {
    worker = await pinnedImage(`${REGISTRY}/shop/worker:1.4.0`);
    const own = `${REGISTRY}/${OWN_REPOSITORY}:1.4.0`;
    await docker("pull", "-q", worker);
    await docker("tag", worker, own);
    await docker("push", "-q", own);
    const authRef = `${AUTH_REGISTRY}/${OWN_REPOSITORY}@${worker.slice(worker.indexOf("@") + 1)}`;
    const driver = await bound("dkr-local");
    const set = workerSet("auth", "dkr-local", authRef, 21100);
    await assert.rejects(
      driver.apply(set, context()),
      (err) => isDriverError(err) && err.reason === DriverReasons.ImagePullFailed,
    );
    assert.deepEqual(await driver.observe({ namespace, environment: "auth" }), []);
    const progress: string[] = [];
    const [unit] = await driver.apply(set, context(AUTH_CREDENTIALS, progress));
    assert.equal(unit.running, true);
    assert.equal(unit.imageRef, authRef);
    assert.ok(
      progress.some((m) => m.includes(authRef)),
      "pull progress reported",
    );
    assert.ok(!progress.join("\n").includes(AUTH_CREDENTIALS.password));
  });

  it("a container killed behind the driver's back shows running=false; apply starts it again", async () => {
    const driver = await bound("dkr-local");
    const set = workerSet("kill", "dkr-local", worker, 21101);
    const [unit] = await driver.apply(set, context());
    await docker("kill", unit.id);
    const [killed] = await driver.observe({ namespace, environment: "kill" });
    assert.equal(killed.id, unit.id);
    assert.equal(killed.running, false);
    assert.ok(killed.message?.includes("exited with code 137"), killed.message);
    const [again] = await driver.apply(set, context());
    assert.equal(again.id, unit.id, "same artifact: started, not recreated");
    assert.equal(again.running, true);
  });

  it("a unit removed behind the driver's back is created again by apply", async () => {
    const driver = await bound("dkr-local");
    const set = workerSet("gone", "dkr-local", worker, 21102);
    const [unit] = await driver.apply(set, context());
    await docker("rm", "-f", unit.id);
    const [again] = await driver.apply(set, context());
    assert.notEqual(again.id, unit.id);
    assert.equal(again.running, true);
    assert.equal((await driver.observe({ namespace, environment: "gone" })).length, 1);
  });

  it("targets sharing one engine keep their units apart", async () => {
    const [a, b] = [await bound("dkr-a"), await bound("dkr-b")];
    const [onA] = await a.apply(workerSet("shared", "dkr-a", worker, 21110), context());
    const [onB] = await b.apply(workerSet("shared", "dkr-b", worker, 21111), context());
    assert.notEqual(onA.id, onB.id);
    assert.deepEqual(
      (await a.observe({ namespace, target: "dkr-a" })).map((u) => u.id),
      [onA.id],
    );
    await a.remove([onA]);
    assert.deepEqual(
      (await b.observe({ namespace, environment: "shared" })).map((u) => [u.id, u.target, u.running]),
      [[onB.id, "dkr-b", true]],
    );
  });

  it("labels each container with the digest of its rendered container spec, and sends what it rendered", async () => {
    const driver = await bound("dkr-local");
    const set = workerSet("spec", "dkr-local", worker, 21103);
    const [unit] = await driver.apply(set, context());
    const spec = JSON.parse(driver.render(set)[0].content) as {
      Env: string[];
      HostConfig: Record<string, unknown>;
      StopTimeout: number;
    };
    const inspected = JSON.parse(await docker("inspect", unit.id))[0] as {
      Config: { Env: string[]; StopTimeout: number };
      HostConfig: { NetworkMode: string; Init: boolean; RestartPolicy: { Name: string } };
    };
    assert.deepEqual(
      [
        inspected.HostConfig.NetworkMode,
        inspected.HostConfig.Init,
        inspected.HostConfig.RestartPolicy.Name,
        inspected.Config.StopTimeout,
      ],
      [
        spec.HostConfig.NetworkMode,
        spec.HostConfig.Init,
        (spec.HostConfig.RestartPolicy as { Name: string }).Name,
        spec.StopTimeout,
      ],
    );
    for (const env of spec.Env) assert.ok(inspected.Config.Env.includes(env), env);
    assert.ok(unit.artifact?.startsWith("sha256:"));
  });
});
