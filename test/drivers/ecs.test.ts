// The ecs driver against the ECS CONTRACT FAKE (hack/ecs-fake: the ECS API over AWS JSON 1.1 with
// SigV4, ECS deployment semantics, every task a real container on the local engine): the shared
// conformance suite, then what ECS does itself — the circuit breaker rolling back a broken
// release, removing an older revision's tasks without deleting a service that rolls out a newer one,
// refused credentials, throttling and 5xx retried — and Stella's slots as ECS blue/green deployments
// of one service: promoted by removing blue, reverted by removing green at the hook or mid-bake.
// Host ports 27000-27199; namespaces ecs-*.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  ContinueServiceDeploymentCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from "@aws-sdk/client-ecs";
import type { Target } from "../../crds/target.ts";
import { ecsDriver, MAX_ATTEMPTS } from "../../controllers/drivers/ecs/index.ts";
import {
  DriverReasons,
  isDriverError,
  UnitLabels,
  type Driver,
  type ObservedUnit,
  type Slot,
  type UnitSet,
} from "../../sdk/plugins/driver.ts";
import { applyContext } from "../../sdk/testing/driver-conformance-units.ts";
import { driverConformance, pinnedImage, type ConformanceFixture } from "../../sdk/testing/driver-conformance.ts";
import { INSTANCE_LABEL, startEcsFake, type EcsFake } from "../../hack/ecs-fake/index.ts";
import { docker, estateSkipReason, REGISTRY, removeContainerIds } from "../estate/estate-env.ts";

const skip = await estateSkipReason();
const run = randomBytes(3).toString("hex");
const CREDS = { accessKeyId: `AKIAFAKE${run.toUpperCase()}`, secretAccessKey: randomBytes(20).toString("base64") };

function ecsTarget(endpoint: string): Target {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: "ecs-local", namespace: "shop" },
    spec: {
      driver: "ecs",
      ecs: {
        region: "eu-west-1",
        cluster: "stella",
        launchType: "EC2",
        endpoint,
        credentialsSecretRef: { name: "aws-credentials" },
      },
    },
  } as Target;
}

async function bind(creds = CREDS): Promise<Driver> {
  const values: Record<string, string> = {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
  };
  return ecsDriver.create(ecsTarget(fake!.endpoint), {
    async secretValue(ref) {
      if (!(ref.key! in values)) throw new Error(`no key ${ref.key}`);
      return values[ref.key!];
    },
  });
}

/** Removes the containers of this file's fake only: the estate's fake and other runs share the engine. */
async function removeFakeContainers(): Promise<void> {
  const ids = (await docker("ps", "-aq", "--filter", `label=${INSTANCE_LABEL}=${fake!.instance}`))
    .split("\n")
    .filter(Boolean);
  await removeContainerIds(ids);
}

async function images() {
  const [web, broken, worker, web15] = await Promise.all(
    ["shop/web:1.4.0", "shop/web:1.6.0-broken", "shop/worker:1.4.0", "shop/web:1.5.0"].map((tag) =>
      pinnedImage(`${REGISTRY}/${tag}`),
    ),
  );
  return { web, broken, worker, web15 };
}

/** The client a test reads ECS with, as an operator's `aws ecs` would. */
const rawClient = () => new ECSClient({ region: "eu-west-1", endpoint: fake!.endpoint, credentials: CREDS });

const until = async <T>(what: string, f: () => Promise<T | undefined>, ms = 120_000): Promise<T> => {
  for (const end = Date.now() + ms; Date.now() < end;) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`timed out waiting for ${what}`);
};

let fake: EcsFake | undefined;
before(async () => {
  if (!skip) fake = await startEcsFake({ credentials: CREDS, clusters: ["stella"] });
});
after(async () => {
  await fake?.close();
  if (fake) await removeFakeContainers();
});

driverConformance({
  name: "ecs (contract fake)",
  skip,
  async setup(): Promise<ConformanceFixture> {
    const driver = await bind();
    return {
      driver,
      target: "ecs-local",
      namespace: `ecs-${run}`,
      environment: "dev",
      portBase: 27000,
      images: await images(),
      async cleanup() {
        await driver.close();
      },
    };
  },
});

describe("ecs driver: what ECS does itself", { skip }, () => {
  const namespace = `ecs-${run}-x`;
  let driver: Driver;
  let imgs: Awaited<ReturnType<typeof images>>;
  before(async () => {
    driver = await bind();
    imgs = await images();
  });
  after(async () => {
    await driver.remove(await driver.observe({ namespace }));
    await driver.close();
  });

  const webSet = (environment: string, release: string, image: string, port: number): UnitSet => ({
    namespace,
    environment,
    release,
    deployment: `${release}-deploy`,
    target: "ecs-local",
    slot: "blue",
    strategy: { type: "Rolling" },
    units: [
      {
        component: "web",
        imageRef: image,
        env: [],
        ports: [{ name: "http", containerPort: 8080, hostPort: port }],
        healthCheck: { http: { path: "/healthz", port: "http" }, interval: "1s", timeout: "2s", unhealthyThreshold: 1 },
      },
    ],
  });
  it("the circuit breaker fails a broken release (no /healthz) and rolls back to the last completed one", async () => {
    await driver.apply(webSet("cb", "r1", imgs.web, 27100), applyContext("unused"));
    await until("r1 COMPLETED", async () => {
      const [r] = await driver.rollouts!({ namespace, environment: "cb" });
      return r?.status === "COMPLETED" ? r : undefined;
    });
    await driver.apply(webSet("cb", "r2", imgs.broken, 27100), applyContext("unused"));
    const seen: string[] = [];
    const back = await until("the rollback to r1 to complete", async () => {
      const [r] = await driver.rollouts!({ namespace, environment: "cb" });
      if (r) seen.push(r.message);
      return r?.status === "COMPLETED" && r.release === "r1" ? r : undefined;
    });
    assert.ok(
      seen.some((m) => /circuit breaker/.test(m)),
      `the circuit breaker's verdict was reported: ${seen.join(" | ")}`,
    );
    assert.equal(back.version, "1", "the rollback runs r1's task definition revision again");
    assert.match(back.message, /rolled back by the deployment circuit breaker: .*deployment failed/, "verdict kept");
    const units = await driver.observe({ namespace, environment: "cb" });
    assert.deepEqual(
      units.map((u) => u.release),
      ["r1"],
    );
    assert.equal(await (await fetch("http://127.0.0.1:27100/version")).text(), "1.4.0\n");
  });

  it("removing an older revision's tasks while the service rolls out a newer one stops them, keeping the service", async () => {
    await driver.apply(webSet("inplace", "r1", imgs.web, 27110), applyContext("unused"));
    const [old] = await driver.observe({ namespace, environment: "inplace" });
    const service = old.name.slice(0, old.name.lastIndexOf("/"));
    // Another rollout in the same service: a revision whose image cannot be pulled, so none of its
    // tasks run while the old one still does (minimumHealthyPercent 100).
    const ecs = rawClient();
    try {
      const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: "stella", tasks: [old.id] }))).tasks!;
      const { taskDefinition: def } = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }),
      );
      const missing = `${REGISTRY}/shop/web@sha256:${"0".repeat(64)}`;
      const next = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: def!.family,
          networkMode: def!.networkMode,
          requiresCompatibilities: def!.requiresCompatibilities,
          containerDefinitions: def!.containerDefinitions!.map((c) => ({ ...c, image: missing })),
        }),
      );
      const revision = next.taskDefinition!.taskDefinitionArn!;
      await ecs.send(
        new UpdateServiceCommand({
          cluster: "stella",
          service,
          taskDefinition: revision,
          deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
        }),
      );
      await driver.remove([old]);
      const [after] = (await ecs.send(new DescribeServicesCommand({ cluster: "stella", services: [service] })))
        .services!;
      assert.equal(after.status, "ACTIVE", "the service and the rollout in it are not deleted");
      assert.equal(after.deployments?.find((d) => d.status === "PRIMARY")?.taskDefinition, revision);
      const units = await driver.observe({ namespace, environment: "inplace" });
      assert.ok(!units.some((u) => u.id === old.id), "the old revision's task was stopped");
    } finally {
      await ecs.send(new DeleteServiceCommand({ cluster: "stella", service, force: true })).catch(() => undefined);
      ecs.destroy();
    }
  });

  it("refused credentials are Unauthorized, terminal", async () => {
    const bad = await bind({ accessKeyId: CREDS.accessKeyId, secretAccessKey: "wrong" });
    await assert.rejects(
      bad.probe(),
      (err) => isDriverError(err) && err.reason === DriverReasons.Unauthorized && !err.transient,
    );
    const unknown = await bind({ accessKeyId: "AKIANOBODY", secretAccessKey: "x" });
    await assert.rejects(
      unknown.probe(),
      (err) => isDriverError(err) && err.reason === DriverReasons.Unauthorized && !err.transient,
    );
    fake!.denied.add("DescribeClusters");
    try {
      await assert.rejects(
        driver.probe(),
        (err) =>
          isDriverError(err) &&
          err.reason === DriverReasons.Unauthorized &&
          !err.transient &&
          /AccessDenied/.test(err.message),
      );
    } finally {
      fake!.denied.delete("DescribeClusters");
    }
  });

  it("throttling and 5xx are retried with backoff; past the attempts they are Unreachable, transient", async () => {
    const before = fake!.faults.calls.get("DescribeClusters") ?? 0;
    fake!.faults.set({ throttle: 2, errors: 1 });
    assert.equal((await driver.probe()).name, "Amazon ECS");
    assert.equal(
      (fake!.faults.calls.get("DescribeClusters") ?? 0) - before,
      4,
      "three failed attempts and the one that answered",
    );
    fake!.faults.set({ throttle: MAX_ATTEMPTS });
    await assert.rejects(
      driver.probe(),
      (err) =>
        isDriverError(err) &&
        err.reason === DriverReasons.Unreachable &&
        err.transient &&
        /Throttling/.test(err.message),
    );
    fake!.faults.set({ throttle: 0 });
  });
});

describe("ecs driver: Stella's slots as ECS blue/green deployments of one service", { skip }, () => {
  const namespace = `ecs-${run}-bg`;
  let driver: Driver;
  let imgs: Awaited<ReturnType<typeof images>>;
  let ecs: ECSClient;
  before(async () => {
    driver = await bind();
    imgs = await images();
    ecs = rawClient();
  });
  after(async () => {
    await driver.remove(await driver.observe({ namespace }));
    await driver.close();
    ecs.destroy();
  });

  const webSet = (environment: string, release: string, slot: Slot, image: string, port: number): UnitSet => ({
    namespace,
    environment,
    release,
    deployment: `${release}-deploy`,
    target: "ecs-local",
    slot,
    strategy: { type: "BlueGreen" },
    units: [
      {
        component: "web",
        imageRef: image,
        env: [],
        ports: [{ name: "http", containerPort: 8080, hostPort: port }],
        healthCheck: { http: { path: "/healthz", port: "http" }, interval: "1s", timeout: "2s", unhealthyThreshold: 1 },
      },
    ],
  });
  const serviceOf = (u: ObservedUnit) => u.name.slice(0, u.name.lastIndexOf("/"));
  /** The service's current service deployment, as DescribeServices and DescribeServiceDeployments give it. */
  const current = async (service: string): Promise<ServiceDeployment> => {
    const [s] = (await ecs.send(new DescribeServicesCommand({ cluster: "stella", services: [service] }))).services!;
    const out = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [s.currentServiceDeployment!] }),
    );
    return out.serviceDeployments![0];
  };
  const served = async (port: number) => {
    try {
      return (
        await (await fetch(`http://127.0.0.1:${port}/version`, { signal: AbortSignal.timeout(2000) })).text()
      ).trim();
    } catch {
      return undefined;
    }
  };

  it("the other slot starts beside the first in the same service, held at the PAUSE hook; removing blue promotes it", async () => {
    const [blue] = await driver.apply(webSet("ok", "r1", "blue", imgs.web, 27120), applyContext("unused"));
    const registered = () => fake!.faults.calls.get("RegisterTaskDefinition") ?? 0;
    const [green] = await driver.apply(webSet("ok", "r2", "green", imgs.web15, 27121), applyContext("unused"));
    const service = serviceOf(blue);
    assert.equal(serviceOf(green), service, "both slots run in the component's one service");
    const paused = await until("the blue/green deployment to wait at its hook", async () => {
      const sd = await current(service);
      return sd.lifecycleHookDetails?.some((h) => h.status === "AWAITING_ACTION") ? sd : undefined;
    });
    assert.deepEqual(
      [paused.status, paused.lifecycleStage, paused.deploymentConfiguration?.strategy],
      ["IN_PROGRESS", "POST_SCALE_UP", "BLUE_GREEN"],
    );
    const units = await until("both slots running, green judged healthy by ECS", async () => {
      const us = await driver.observe({ namespace, environment: "ok" });
      return us.length === 2 && us.find((u) => u.slot === "green")?.platformHealthy === true ? us : undefined;
    });
    assert.deepEqual(units.map((u) => `${u.slot}:${u.release}`).sort(), ["blue:r1", "green:r2"]);
    assert.deepEqual([await served(27120), await served(27121)], ["1.4.0", "1.5.0"]);
    const [rollout] = await driver.rollouts!({ namespace, environment: "ok" });
    assert.match(rollout.message, /blue\/green service deployment IN_PROGRESS at POST_SCALE_UP: its PAUSE hook/);

    // A controller that died after applying green and binds again applies it again: nothing new is registered.
    const before = registered();
    const again = await bind();
    try {
      const [same] = await again.apply(webSet("ok", "r2", "green", imgs.web15, 27121), applyContext("unused"));
      assert.equal(same.id, green.id, "the same green task");
      assert.equal(registered(), before, "no task definition registered twice");
    } finally {
      await again.close();
    }

    await driver.remove(units.filter((u) => u.slot === "blue"));
    const done = await until("ECS to finish the promoted deployment", async () => {
      const sd = await current(service);
      return sd.status === "SUCCESSFUL" ? sd : undefined;
    });
    assert.equal(done.serviceDeploymentArn, paused.serviceDeploymentArn);
    assert.deepEqual(
      (await driver.observe({ namespace, environment: "ok" })).map((u) => `${u.slot}:${u.release}`),
      ["green:r2"],
    );
    assert.equal(await served(27120), undefined, "blue is gone");
    assert.equal(await served(27121), "1.5.0");
    const { serviceDeployments = [] } = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster: "stella", service }),
    );
    assert.equal(serviceDeployments.length, 2, "green's blue/green deployment and blue's creation");
    assert.deepEqual(
      [serviceDeployments[0].serviceDeploymentArn, serviceDeployments[0].status],
      [done.serviceDeploymentArn, "SUCCESSFUL"],
      "newest first",
    );
    await driver.remove(units.filter((u) => u.slot === "blue")); // idempotent
  });

  it("promote() continues green at the hook when blue's task stopped on its own, with nothing left to remove", async () => {
    const [blue] = await driver.apply(webSet("gone", "r1", "blue", imgs.web, 27145), applyContext("unused"));
    await driver.apply(webSet("gone", "r2", "green", imgs.web15, 27146), applyContext("unused"));
    const service = serviceOf(blue);
    const held = await until("the hook", async () => {
      const sd = await current(service);
      return sd.lifecycleHookDetails?.some((h) => h.status === "AWAITING_ACTION") ? sd : undefined;
    });
    // Blue's task goes by itself (ECS does not replace it while green waits): nothing of r1 is observed.
    await ecs.send(new StopTaskCommand({ cluster: "stella", task: blue.id, reason: "the instance went away" }));
    await until("blue's task to stop", async () => {
      const us = await driver.observe({ namespace, environment: "gone" });
      return us.every((u) => u.release === "r2") ? us : undefined;
    });
    await driver.promote!({ namespace, environment: "gone", release: "r1" });
    assert.equal((await current(service)).lifecycleHookDetails?.[0]?.status, "AWAITING_ACTION", "r1 is not held");
    await driver.promote!({ namespace, environment: "gone", release: "r2" });
    const done = await until("ECS to finish the promoted deployment", async () => {
      const sd = await current(service);
      return sd.status === "SUCCESSFUL" ? sd : undefined;
    });
    assert.equal(done.serviceDeploymentArn, held.serviceDeploymentArn);
    assert.equal(done.lifecycleHookDetails?.[0]?.status, "SUCCEEDED");
    assert.equal(await served(27146), "1.5.0");
    await driver.promote!({ namespace, environment: "gone", release: "r2" }); // nothing held: a no-op
  });

  it("a broken release in the other slot never reaches the hook; removing its units rolls ECS back to blue", async () => {
    const [blue] = await driver.apply(webSet("broken", "r1", "blue", imgs.web, 27130), applyContext("unused"));
    const [green] = await driver.apply(webSet("broken", "r2", "green", imgs.broken, 27131), applyContext("unused"));
    const service = serviceOf(blue);
    await until("ECS to count a green task that failed its health check", async () => {
      const [s] = (await ecs.send(new DescribeServicesCommand({ cluster: "stella", services: [service] }))).services!;
      return (s.deployments?.find((d) => d.status === "PRIMARY")?.failedTasks ?? 0) > 0 ? s : undefined;
    });
    const held = await current(service);
    assert.equal(held.lifecycleStage, "SCALE_UP", "an unhealthy green revision does not reach POST_SCALE_UP");
    await driver.remove([green]);
    const back = await until("the rollback to finish", async () => {
      const sd = await current(service);
      return sd.status === "ROLLBACK_SUCCESSFUL" ? sd : undefined;
    });
    // Stella's removal (StopServiceDeployment), or ECS's circuit breaker if it counted three failed green tasks first.
    assert.match(back.rollback?.reason ?? "", /StopServiceDeployment|circuit breaker/);
    const units = await driver.observe({ namespace, environment: "broken" });
    assert.deepEqual(
      units.map((u) => [u.id, u.release]),
      [[blue.id, "r1"]],
      "blue's own task kept running throughout",
    );
    assert.equal(await served(27130), "1.4.0");
    const [rollout] = await driver.rollouts!({ namespace, environment: "broken" });
    assert.equal(rollout.release, "r1");
    assert.match(
      rollout.message,
      /service deployment ROLLBACK_SUCCESSFUL: (rolled back by StopServiceDeployment|ECS deployment circuit breaker)/,
    );
  });

  it("removing green at the hook reverts with ContinueServiceDeployment ROLLBACK", async () => {
    const [blue] = await driver.apply(webSet("revert", "r1", "blue", imgs.web, 27135), applyContext("unused"));
    await driver.apply(webSet("revert", "r2", "green", imgs.web15, 27136), applyContext("unused"));
    const service = serviceOf(blue);
    await until("the hook", async () => {
      const sd = await current(service);
      return sd.lifecycleHookDetails?.some((h) => h.status === "AWAITING_ACTION") ? sd : undefined;
    });
    const green = (await driver.observe({ namespace, environment: "revert" })).filter((u) => u.slot === "green");
    await driver.remove(green);
    const back = await until("the rollback to finish", async () => {
      const sd = await current(service);
      return sd.status === "ROLLBACK_SUCCESSFUL" ? sd : undefined;
    });
    assert.match(back.rollback?.reason ?? "", /ContinueServiceDeployment/);
    assert.deepEqual(
      (await driver.observe({ namespace, environment: "revert" })).map((u) => u.id),
      [blue.id],
    );
    await assert.rejects(
      ecs.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: back.serviceDeploymentArn,
          hookId: back.lifecycleHookDetails![0].hookId,
          action: "CONTINUE",
        }),
      ),
      /InvalidParameterException|only a hook AWAITING_ACTION/,
      "a finished deployment cannot be continued",
    );
  });

  it("abort mid-bake: removing green while ECS bakes stops the deployment (ROLLBACK) and blue keeps running", async () => {
    const [blue] = await driver.apply(webSet("bake", "r1", "blue", imgs.web, 27140), applyContext("unused"));
    const service = serviceOf(blue);
    // An operator's own blue/green deployment with a bake time (the driver's bake is 0: Stella's
    // scaleDownDelay is its bake): green as the driver would register it, in the other slot.
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: "stella", tasks: [blue.id] }))).tasks!;
    const { taskDefinition: def } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }),
    );
    const container = JSON.parse(JSON.stringify(def!.containerDefinitions![0]).replaceAll("27140", "27141"));
    container.image = imgs.web15;
    container.dockerLabels = { ...container.dockerLabels, [UnitLabels.slot]: "green", [UnitLabels.release]: "r2" };
    const next = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: def!.family!.replace(/-blue$/, "-green"),
        networkMode: def!.networkMode,
        requiresCompatibilities: def!.requiresCompatibilities,
        containerDefinitions: [container],
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({
        cluster: "stella",
        service,
        taskDefinition: next.taskDefinition!.taskDefinitionArn,
        deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 10 },
      }),
    );
    await until("ECS to bake", async () => {
      const sd = await current(service);
      return sd.lifecycleStage === "BAKE_TIME" ? sd : undefined;
    });
    const units = await driver.observe({ namespace, environment: "bake" });
    assert.deepEqual(units.map((u) => `${u.slot}:${u.release}`).sort(), ["blue:r1", "green:r2"]);
    assert.equal(await served(27141), "1.5.0");
    await driver.remove(units.filter((u) => u.slot === "green"));
    const back = await until("the rollback", async () => {
      const sd = await current(service);
      return sd.status === "ROLLBACK_SUCCESSFUL" ? sd : undefined;
    });
    assert.match(back.rollback?.reason ?? "", /StopServiceDeployment/);
    assert.deepEqual(
      (await driver.observe({ namespace, environment: "bake" })).map((u) => u.id),
      [blue.id],
      "blue's task ran on through the bake and the rollback",
    );
    assert.equal(await served(27140), "1.4.0");
    assert.equal(await served(27141), undefined);
  });
});

describe("the ECS contract fake's service deployment API, as the reference gives it", { skip }, () => {
  let ecs: ECSClient;
  let service: string;
  let revision: string;
  before(async () => {
    ecs = rawClient();
    const imgs = await images();
    const def = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `api-${run}`,
        networkMode: "host",
        requiresCompatibilities: ["EC2"],
        containerDefinitions: [{ name: "worker", image: imgs.worker, essential: true, memoryReservation: 64 }],
      }),
    );
    revision = def.taskDefinition!.taskDefinitionArn!;
    service = `api-${run}`;
    await ecs.send(
      new CreateServiceCommand({ cluster: "stella", serviceName: service, taskDefinition: revision, desiredCount: 1 }),
    );
  });
  after(async () => {
    await ecs.send(new DeleteServiceCommand({ cluster: "stella", service, force: true })).catch(() => undefined);
    ecs.destroy();
  });

  const refused = (config: Record<string, unknown>, pattern: RegExp) =>
    assert.rejects(
      ecs.send(
        new UpdateServiceCommand({
          cluster: "stella",
          service,
          taskDefinition: revision,
          forceNewDeployment: true,
          deploymentConfiguration: config as never,
        }),
      ),
      (err: Error) => err.name === "InvalidParameterException" && pattern.test(err.message),
    );

  it("refuses what the reference refuses, and Lambda hooks, naming the field", async () => {
    await refused({ strategy: "BLUE_GREEN" }, /bakeTimeInMinutes is required/);
    await refused(
      { strategy: "BLUE_GREEN", bakeTimeInMinutes: 0, lifecycleHooks: [{ lifecycleStages: ["POST_SCALE_UP"] }] },
      /lifecycleHooks\[0\]: AWS_LAMBDA hooks invoke a Lambda function/,
    );
    await refused(
      {
        strategy: "BLUE_GREEN",
        bakeTimeInMinutes: 0,
        lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["TEST_TRAFFIC_SHIFT"] }],
      },
      /PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT/,
    );
    await refused({ strategy: "LINEAR" }, /strategy LINEAR is not implemented/);
  });

  it("lists and describes service deployments; unknown ones are MISSING or ServiceDeploymentNotFoundException; a finished one cannot be stopped", async () => {
    const [first] = await until("the creation's service deployment to succeed", async () => {
      const { serviceDeployments = [] } = await ecs.send(
        new ListServiceDeploymentsCommand({ cluster: "stella", service, status: ["SUCCESSFUL"] }),
      );
      return serviceDeployments.length ? serviceDeployments : undefined;
    });
    assert.equal(first.targetServiceRevisionArn?.includes(`:service-revision/stella/${service}/`), true);
    const missing = first.serviceDeploymentArn!.replace(/[^/]+$/, "nope");
    const described = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [first.serviceDeploymentArn!, missing] }),
    );
    assert.deepEqual(
      [described.serviceDeployments?.map((sd) => sd.status), described.failures?.map((f) => f.reason)],
      [["SUCCESSFUL"], ["MISSING"]],
    );
    await assert.rejects(
      ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: missing, hookId: "ecs-pause-x" })),
      { name: "ServiceDeploymentNotFoundException" },
    );
    await assert.rejects(
      ecs.send(
        new StopServiceDeploymentCommand({ serviceDeploymentArn: first.serviceDeploymentArn, stopType: "ROLLBACK" }),
      ),
      { name: "ConflictException" },
    );
  });
});
