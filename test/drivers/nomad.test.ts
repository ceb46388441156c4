// The nomad driver against the Nomad CONTRACT FAKE (hack/nomad-fake: Nomad's API semantics, every
// allocation a real container on the local engine): the shared conformance suite, then what only
// a platform that rolls out by itself has — canaries reverted by Nomad, promotion, drift, a wrong
// ACL token, throttling. Host ports 26000-26199; namespaces nmd-*.
// A live Nomad is used instead when NOMAD_ADDR is set (NOMAD_TOKEN for ACLs); the fault cases need the fake.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Target } from "../../crds/target.ts";
import { nomadDriver } from "../../controllers/drivers/nomad/index.ts";
import { DriverReasons, isDriverError, type Driver, type UnitSet } from "../../sdk/plugins/driver.ts";
import { applyContext } from "../../sdk/testing/driver-conformance-units.ts";
import { driverConformance, pinnedImage, type ConformanceFixture } from "../../sdk/testing/driver-conformance.ts";
import { INSTANCE_LABEL, startNomadFake, type NomadFake } from "../../hack/nomad-fake/index.ts";
import { docker, estateSkipReason, REGISTRY, removeContainerIds } from "../estate/estate-env.ts";

const skip = await estateSkipReason();
const run = randomBytes(3).toString("hex");
const TOKEN = `nomad-test-${run}`;
const live = process.env.NOMAD_ADDR;

function nomadTarget(name: string, address: string): Target {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name, namespace: "shop" },
    spec: {
      driver: "nomad",
      nomad: { address, datacenters: ["dc1"], tokenSecretRef: { name: "nomad-token", key: "token" } },
    },
  } as Target;
}

const tokenContext = (token: string) => ({ secretValue: async () => token });

async function bind(address: string, token: string, name = "nmd-local"): Promise<Driver> {
  return nomadDriver.create(nomadTarget(name, address), tokenContext(token));
}

/** Removes this suite's fake's containers, never those of a fake another suite runs beside it. */
async function removeFakeContainers(instance: string): Promise<void> {
  const ids = (await docker("ps", "-aq", "--filter", `label=${INSTANCE_LABEL}=${instance}`))
    .split("\n")
    .filter(Boolean);
  await removeContainerIds(ids);
}

async function images() {
  const [web, broken, worker] = await Promise.all(
    ["shop/web:1.4.0", "shop/web:1.6.0-broken", "shop/worker:1.4.0"].map((tag) => pinnedImage(`${REGISTRY}/${tag}`)),
  );
  return { web, broken, worker };
}

let fake: NomadFake | undefined;
before(async () => {
  if (!skip && !live) fake = await startNomadFake({ token: TOKEN });
});
after(async () => {
  await fake?.close();
  if (fake) await removeFakeContainers(fake.instance);
});
const address = () => live ?? fake!.address;
const token = () => (live ? (process.env.NOMAD_TOKEN ?? "") : TOKEN);

driverConformance({
  name: live ? "nomad (live cluster)" : "nomad (contract fake)",
  skip,
  async setup(): Promise<ConformanceFixture> {
    const driver = await bind(address(), token());
    const namespace = `nmd-${run}`;
    return {
      driver,
      target: "nmd-local",
      namespace,
      environment: "dev",
      portBase: 26000,
      images: await images(),
      async startForeign(name, labels) {
        const job = {
          ID: name,
          Type: "service",
          Datacenters: ["dc1"],
          Meta: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k.replace(/[^A-Za-z0-9]/g, "_"), v])),
          TaskGroups: [
            {
              Name: "worker",
              Count: 1,
              Tasks: [
                { Name: "worker", Driver: "docker", Config: { image: (await images()).worker, network_mode: "host" } },
              ],
            },
          ],
        };
        await fetch(`${address()}/v1/jobs`, {
          method: "POST",
          headers: { "X-Nomad-Token": token() },
          body: JSON.stringify({ Job: job }),
        });
      },
      async cleanup() {
        await fetch(`${address()}/v1/job/${namespace}-foreign?purge=true`, {
          method: "DELETE",
          headers: { "X-Nomad-Token": token() },
        });
        await driver.close();
      },
    };
  },
});

describe("nomad driver: what the platform does itself", { skip }, () => {
  const namespace = `nmd-${run}-x`;
  let driver: Driver;
  let imgs: Awaited<ReturnType<typeof images>>;
  before(async () => {
    driver = await bind(address(), token());
    imgs = await images();
  });
  after(async () => {
    await driver.remove(await driver.observe({ namespace }));
    await driver.close();
  });

  const webSet = (
    environment: string,
    release: string,
    image: string,
    slot: "blue" | "green",
    port: number,
  ): UnitSet => ({
    namespace,
    environment,
    release,
    deployment: `${release}-deploy`,
    target: "nmd-local",
    slot,
    strategy: { type: "BlueGreen" },
    units: [
      {
        component: "web",
        imageRef: image,
        env: [],
        ports: [{ name: "http", containerPort: 8080, hostPort: port }],
        healthCheck: { http: { path: "/healthz", port: "http" }, interval: "1s", timeout: "1s", unhealthyThreshold: 2 },
      },
    ],
  });
  const ctx = () => applyContext("unused");
  const until = async <T>(what: string, f: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 300; i++) {
      const v = await f();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`timed out waiting for ${what}`);
  };

  /** Waits until Nomad's deployment of the environment's job succeeded (its version is stable). */
  const stable = (environment: string) =>
    until(`${environment} deployed`, async () => {
      const [x] = await driver.rollouts!({ namespace, environment });
      return x?.status === "successful" ? x : undefined;
    });

  it("a broken canary is reverted by Nomad's auto_revert; the previous release keeps serving", async () => {
    const [good] = await driver.apply(webSet("revert", "r1", imgs.web, "blue", 26100), ctx());
    await stable("revert");
    const [canary] = await driver.apply(webSet("revert", "r2", imgs.broken, "green", 26110), ctx());
    assert.equal(canary.slot, "green");
    assert.equal(
      (await driver.observe({ namespace, environment: "revert" })).length,
      2,
      "canary beside the old allocation",
    );
    const rollout = await until("Nomad to fail the deployment", async () => {
      const [r] = await driver.rollouts!({ namespace, environment: "revert" });
      return r.status === "successful" && r.message.includes("version 2") ? r : undefined;
    });
    assert.equal(rollout.version, "2", "auto_revert registered the stable spec as version 2");
    const units = await driver.observe({ namespace, environment: "revert" });
    assert.deepEqual(
      units.map((u) => [u.id, u.release, u.slot]),
      [[good.id, "r1", "blue"]],
      "the canary is gone, r1 kept in place",
    );
    assert.equal(await (await fetch("http://127.0.0.1:26100/version")).text(), "1.4.0\n");
  });

  it("remove of the old units promotes the canaries; the platform's view names version and deployment", async () => {
    await driver.apply(webSet("promote", "r1", imgs.web, "blue", 26120), ctx());
    await stable("promote");
    const [canary] = await driver.apply(webSet("promote", "r2", imgs.web, "green", 26130), ctx());
    const r = await until("the canary to wait for promotion", async () => {
      const [x] = await driver.rollouts!({ namespace, environment: "promote" });
      return x.message.includes("promotion") ? x : undefined;
    });
    assert.deepEqual([r.version, r.status, r.release], ["1", "running", "r2"]);
    await driver.remove(await driver.observe({ namespace, environment: "promote", slot: "blue" }));
    assert.deepEqual(
      (await driver.observe({ namespace, environment: "promote" })).map((u) => u.id),
      [canary.id],
    );
    const done = await until("deployment successful", async () => {
      const [x] = await driver.rollouts!({ namespace, environment: "promote" });
      return x.status === "successful" ? x : undefined;
    });
    assert.deepEqual([done.desired, done.healthy, done.drift], [1, 1, undefined]);
  });

  it("promote() promotes the release's waiting canaries with nothing removed; another release is left alone", async () => {
    const [old] = await driver.apply(webSet("hold", "r1", imgs.web, "blue", 26125), ctx());
    await stable("hold");
    const [canary] = await driver.apply(webSet("hold", "r2", imgs.web, "green", 26135), ctx());
    await until("the canary to wait for promotion", async () => {
      const [x] = await driver.rollouts!({ namespace, environment: "hold" });
      return x.message.includes("promotion") ? x : undefined;
    });
    await driver.promote!({ namespace, environment: "hold", release: "r1" });
    const [still] = await driver.rollouts!({ namespace, environment: "hold" });
    assert.deepEqual([still.status, still.release], ["running", "r2"], "r1 is not what waits");
    await driver.promote!({ namespace, environment: "hold", release: "r2" });
    const done = await until("deployment successful", async () => {
      const [x] = await driver.rollouts!({ namespace, environment: "hold" });
      return x.status === "successful" ? x : undefined;
    });
    assert.equal(done.release, "r2");
    const units = await until("Nomad to stop the old allocation", async () => {
      const us = await driver.observe({ namespace, environment: "hold" });
      return us.some((u) => u.id === old.id) ? undefined : us;
    });
    assert.deepEqual(
      units.map((u) => u.id),
      [canary.id],
    );
    await driver.promote!({ namespace, environment: "hold", release: "r2" }); // nothing waits: a no-op
  });

  it("a job changed outside Stella shows as drift", { skip: live ? "needs the fake's API" : undefined }, async () => {
    await driver.apply(webSet("drift", "r1", imgs.web, "blue", 26140), ctx());
    const id = `stella-${namespace}-drift-nmd-local`;
    const job = (await (
      await fetch(`${address()}/v1/job/${id}`, { headers: { "X-Nomad-Token": token() } })
    ).json()) as { TaskGroups: { Count: number }[] };
    job.TaskGroups[0].Count = 2;
    await fetch(`${address()}/v1/jobs`, {
      method: "POST",
      headers: { "X-Nomad-Token": token() },
      body: JSON.stringify({ Job: job }),
    });
    const [r] = await driver.rollouts!({ namespace, environment: "drift" });
    assert.match(r.drift ?? "", /changed outside Stella/);
  });

  it("a wrong ACL token is Unauthorized, terminal", { skip: live ? "needs the fake's ACLs" : undefined }, async () => {
    const bad = await bind(address(), "not-the-token");
    await assert.rejects(
      bad.probe(),
      (err) => isDriverError(err) && err.reason === DriverReasons.Unauthorized && !err.transient,
    );
  });

  it(
    "throttling and 5xx are retried with backoff",
    { skip: live ? "needs the fake's failure injection" : undefined },
    async () => {
      fake!.faults.set({ throttle: 2, errors: 1 });
      assert.equal((await driver.probe()).name, "Nomad");
      fake!.faults.set({ throttle: 10 });
      await assert.rejects(
        driver.probe(),
        (err) => isDriverError(err) && err.reason === DriverReasons.Unreachable && err.transient,
      );
      fake!.faults.set({ throttle: 0 });
    },
  );
});
