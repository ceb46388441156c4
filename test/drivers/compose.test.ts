// The compose driver against the local engine and the real compose CLI (docker-compose 1.29 from
// Debian here): the shared conformance suite, then what only the compose driver has (the file
// validates with compose itself, both slots in one project, compose starting what was stopped,
// pulls compose never has to make, compose failures). Host ports 22000-22999; namespaces and
// projects cmp-*.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import type { Target } from "../../crds/target.ts";
import {
  composeDriver,
  PROJECT_LABEL,
  SERVICE_LABEL,
  type ComposeSettings,
} from "../../controllers/drivers/compose/index.ts";
import { artifactDigest } from "../../crds/artifact.ts";
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

const exec = promisify(execFile);

/** Why compose suites cannot run here: the estate is down, or docker-compose is missing (never under CI). */
async function skipReason(): Promise<string | undefined> {
  const estate = await estateSkipReason();
  if (estate) return estate;
  try {
    await exec("docker-compose", ["version"]);
    return undefined;
  } catch (err) {
    return process.env.CI === "true"
      ? undefined
      : `docker-compose does not run (${(err as Error).message}); run hack/estate.sh up`;
  }
}

const skip = await skipReason();
const run = randomBytes(3).toString("hex");

/** A compose Target named `name` with these settings. */
function composeTarget(name: string, settings: ComposeSettings): Target {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name, namespace: "shop" },
    spec: { driver: "compose", compose: settings },
  } as Target;
}

driverConformance({
  name: "compose",
  skip,
  async setup() {
    const target = "cmp-local";
    return engineFixture({
      driver: await composeDriver.create(
        composeTarget(target, { project: `cmp-${run}`, socket: "/var/run/docker.sock" }),
        noSecrets,
      ),
      target,
      namespace: `cmp-${run}`,
      environment: "staging",
      portBase: 22000,
    });
  },
});

describe("compose driver on the local engine", { skip }, () => {
  const namespace = `cmp-${run}-x`;
  const project = `cmp-${run}-x`;
  const target = "cmp-x";
  const drivers: Driver[] = [];
  let driver: Driver;
  let web14 = "";
  let web15 = "";
  let worker = "";
  before(async () => {
    driver = await bound(target, { project });
    [web14, web15, worker] = await Promise.all(
      ["shop/web:1.4.0", "shop/web:1.5.0", "shop/worker:1.4.0"].map((tag) => pinnedImage(`${REGISTRY}/${tag}`)),
    );
  });
  after(async () => {
    if (skip) return;
    await removeContainers([namespace]);
    for (const d of drivers) await d.close();
  });

  async function bound(name: string, settings: ComposeSettings): Promise<Driver> {
    const d = await composeDriver.create(composeTarget(name, settings), noSecrets);
    drivers.push(d);
    return d;
  }

  function webSet(
    environment: string,
    release: string,
    slot: "blue" | "green",
    imageRef: string,
    port: number,
  ): UnitSet {
    return {
      namespace,
      environment,
      release,
      deployment: `${release}-deploy`,
      target,
      slot,
      units: [
        {
          component: "web",
          imageRef,
          env: [{ name: "TOKEN", secretKeyRef: { name: "api", key: "token" } }],
          ports: [{ name: "http", containerPort: 8080, hostPort: port }],
        },
      ],
    };
  }

  // One Secret value for the whole suite: compose recreates a container whose Secret value changed.
  const token = "tok-" + randomBytes(4).toString("hex");
  function context(secret = token, credential?: { username: string; password: string }): ApplyContext {
    return {
      secretValue: async (ref) =>
        ref.name === "api" && ref.key === "token" ? secret : assert.fail(`unexpected secret ${ref.name}`),
      pullCredential: async (registry) => (registry === AUTH_REGISTRY ? credential : undefined),
    };
  }

  const projectContainers = async (): Promise<string[]> =>
    (
      await docker(
        "ps",
        "-a",
        "--filter",
        `label=${PROJECT_LABEL}=${project}`,
        "--format",
        `{{.ID}} {{.Label "${SERVICE_LABEL}"}} {{.State}}`,
      )
    )
      .split("\n")
      .filter(Boolean)
      .sort();

  it("probe reports the engine and the compose CLI it found", async () => {
    const info = await driver.probe();
    const { stdout } = await exec("docker-compose", ["version", "--short"]);
    assert.equal(info.name, `Docker Engine with docker-compose ${stdout.trim()}`);
    assert.equal(info.version, await docker("version", "--format", "{{.Server.Version}}"));
  });

  it("probe of a target whose socket does not exist throws Unreachable", async () => {
    const nowhere = await bound("cmp-nowhere", {
      project: `cmp-${run}-nowhere`,
      socket: `/tmp/stella-no-such-${run}.sock`,
    });
    await assert.rejects(
      nowhere.probe(),
      (err) => isDriverError(err) && err.reason === DriverReasons.Unreachable && err.transient,
    );
    await assert.rejects(nowhere.observe(), (err) => isDriverError(err) && err.reason === DriverReasons.Unreachable);
  });

  it("probe of a target whose compose command does not run throws InvalidTarget", async () => {
    const broken = await bound("cmp-nocli", { project, command: [`/tmp/stella-no-compose-${run}`] });
    await assert.rejects(broken.probe(), (err) => isDriverError(err) && err.reason === DriverReasons.InvalidTarget);
  });

  it("the rendered file validates unchanged with docker-compose config, given the variables it names", async () => {
    const set = webSet("config", "r1", "blue", web14, 22100);
    const [artifact] = driver.render(set);
    assert.equal(artifact.type, "compose-file");
    assert.equal(artifact.mediaType, "application/yaml");
    const dir = await mkdtemp(path.join(tmpdir(), "cmp-config-"));
    try {
      const file = path.join(dir, "artifact.yaml");
      await writeFile(file, artifact.content);
      const env = {
        PATH: process.env.PATH,
        STELLA_ARTIFACT: artifactDigest(artifact.content),
        STELLA_DEPLOYMENT: "d1",
        STELLA_SECRET_0: "x",
      };
      const { stdout } = await exec("docker-compose", ["-p", project, "-f", file, "config", "--services"], { env });
      assert.deepEqual(stdout.trim().split("\n"), [`web-blue.config.${namespace}`]);
      await exec("docker-compose", ["-p", project, "-f", file, "config", "-q"], { env });
      // without the variables compose refuses, instead of running with an empty secret or label
      await assert.rejects(
        exec("docker-compose", ["-p", project, "-f", file, "config", "-q"], { env: { PATH: process.env.PATH } }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  let blue: string[] = [];
  it("two releases of one environment run in the two slots of one project, and re-applies keep both", async () => {
    const [b] = await driver.apply(webSet("two", "r1", "blue", web14, 22110), context());
    const [g] = await driver.apply(webSet("two", "r2", "green", web15, 22111), context());
    assert.deepEqual([b.slot, b.release, b.imageRef, b.running], ["blue", "r1", web14, true]);
    assert.deepEqual([g.slot, g.release, g.imageRef, g.running], ["green", "r2", web15, true]);
    const both = [
      `${b.id.slice(0, 12)} web-blue.two.${namespace} running`,
      `${g.id.slice(0, 12)} web-green.two.${namespace} running`,
    ].sort();
    assert.deepEqual(await projectContainers(), both);
    await driver.apply(webSet("two", "r1", "blue", web14, 22110), context());
    await driver.apply({ ...webSet("two", "r2", "green", web15, 22111), deployment: "another" }, context());
    assert.deepEqual(await projectContainers(), both, "same containers after re-applying both slots");
    blue = [b.id];
  });

  it("re-apply starts a stopped unit again through compose, keeping the container", async () => {
    await docker("stop", "-t", "1", blue[0]);
    const [unit] = await driver.apply(webSet("two", "r1", "blue", web14, 22110), context());
    assert.equal(unit.id, blue[0]);
    assert.equal(unit.running, true);
  });

  it("a target switched from runtime docker to compose: its docker units are seen, the slot's one replaced, the other's removable", async () => {
    const asDocker: Target = {
      ...composeTarget(target, { project }),
      spec: { driver: "docker", docker: {} },
    } as Target;
    const docked = await dockerDriver.create(asDocker, noSecrets);
    drivers.push(docked);
    const [old] = await docked.apply(webSet("switch", "r1", "blue", web14, 22140), context());
    const [other] = await docked.apply(webSet("switch", "r0", "green", web14, 22141), context());
    const ids = async (slot?: "blue" | "green") =>
      (await driver.observe({ namespace, environment: "switch", slot })).map((u) => u.id).sort();
    assert.deepEqual(await ids(), [old.id, other.id].sort(), "compose sees the units runtime docker left");
    // The blue unit has compose's container name but is not compose's: it goes, and compose starts its own.
    const [replaced] = await driver.apply(webSet("switch", "r2", "blue", web15, 22140), context());
    assert.notEqual(replaced.id, old.id);
    assert.deepEqual([replaced.release, replaced.imageRef, replaced.running], ["r2", web15, true]);
    assert.ok((await projectContainers()).includes(`${replaced.id.slice(0, 12)} web-blue.switch.${namespace} running`));
    await assert.rejects(docker("inspect", old.id), "the runtime docker unit is gone");
    // The other slot's leftover is still this target's unit: a scale-down finds and removes it.
    assert.deepEqual(await ids("green"), [other.id]);
    await driver.remove(await driver.observe({ namespace, environment: "switch", slot: "green" }));
    assert.deepEqual(await ids(), [replaced.id]);
  });

  it("pulls through the Engine API with the target's credentials, so compose never pulls", async () => {
    // A digest this engine never pulled from the auth registry (it re-pulls one it did without
    // asking for credentials again): commit a unique image, push it through the open registry
    // (same storage), and run it from the auth registry.
    const repo = `cmp-test/web-${run}`;
    const holder = `cmp-${run}-commit`;
    await docker("create", "--name", holder, web15);
    await docker("commit", "--change", `LABEL stella.test.run=${run}`, holder, `${REGISTRY}/${repo}:1`);
    await docker("rm", holder);
    await docker("push", "-q", `${REGISTRY}/${repo}:1`);
    const authRef = `${AUTH_REGISTRY}/${repo}@${(await pinnedImage(`${REGISTRY}/${repo}:1`)).split("@")[1]}`;
    try {
      const set = webSet("auth", "r1", "blue", authRef, 22120);
      await assert.rejects(
        driver.apply(set, context()),
        (err) => isDriverError(err) && err.reason === DriverReasons.ImagePullFailed,
      );
      assert.deepEqual(await driver.observe({ namespace, environment: "auth" }), []);
      const [unit] = await driver.apply(set, context(undefined, AUTH_CREDENTIALS));
      assert.equal(unit.running, true);
      assert.equal(unit.imageRef, authRef);
      await driver.remove([unit]);
    } finally {
      await docker("rmi", `${REGISTRY}/${repo}:1`, authRef).catch(() => "");
    }
  });

  it("a unit compose cannot start fails ApplyFailed with compose's words and no secret value", async () => {
    const secret = "never-shown-" + randomBytes(4).toString("hex");
    const set = webSet("fail", "r1", "blue", worker, 22130);
    set.units[0].user = "no-such-user";
    const ours = async () => (await readdir(tmpdir())).filter((n) => n.startsWith("stella-compose-")).sort();
    const before = await ours();
    await assert.rejects(driver.apply(set, context(secret)), (err) => {
      assert.ok(isDriverError(err) && err.reason === DriverReasons.ApplyFailed, String(err));
      assert.match(err.message, /up web-blue\.fail\.\S+ exited with status \d+:\n/);
      assert.match(err.message, /no-such-user/);
      assert.ok(!err.message.includes(secret));
      return true;
    });
    assert.deepEqual(await ours(), before, "the temporary compose directory is gone");
  });
});
