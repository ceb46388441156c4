// Two unit ports whose hashes meet on one engine: a unit of another environment already holds the
// port a new deployment's hash picks. The deployment takes the next free pair instead of starting
// a unit that cannot bind, and the unit already there keeps serving.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { unitPorts } from "../../controllers/deployment/index.ts";
import { MANAGED_BY, UnitLabels } from "../../sdk/plugins/driver.ts";
import { estateSkipReason, REGISTRY } from "../estate/estate-env.ts";
import {
  containers,
  deployment,
  docker,
  dockerTarget,
  environment,
  hostPort,
  page,
  release,
  startDeployEnv,
  waitPhase,
  web,
  type DeployEnv,
} from "./deploy-env.ts";

const skip = await estateSkipReason();

describe("host ports on a shared engine", { skip }, () => {
  let de: DeployEnv;
  before(async () => {
    de = await startDeployEnv();
  });
  after(async () => await de?.stop());

  it("moves to the next free pair when another environment's unit holds the hashed port", async () => {
    const ns = de.namespace;
    const component = web("1.4.0");
    const hashed = unitPorts(de.ports, { namespace: ns, environment: "dev", target: "dev-docker" }, component, "blue");
    const squatted = hashed[0].hostPort;
    const labels = {
      [UnitLabels.managedBy]: MANAGED_BY,
      [UnitLabels.namespace]: ns,
      [UnitLabels.environment]: "other",
      [UnitLabels.target]: "other-docker",
      [UnitLabels.component]: "web",
      [UnitLabels.slot]: "blue",
      [UnitLabels.release]: "squatter",
      [UnitLabels.ports]: `http=${squatted}`,
    };
    await docker(
      "run",
      "-d",
      "--network",
      "host",
      ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
      "-e",
      `PORT=${squatted}`,
      `${REGISTRY}/shop/web:1.4.0`,
      ...(component.command ?? []),
    );

    await de.releases.create(release(ns, "shop-1-4-0", [component]));
    await de.environments.create(
      environment(ns, "dev", { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "1m" } }),
    );
    await de.targets.create(dockerTarget(ns, "dev-docker", "dev"));
    await de.deployments.create(deployment(ns, "first", { release: "shop-1-4-0", environment: "dev" }));
    const done = await waitPhase(de, "first", ["Succeeded", "Failed", "RolledBack"]);
    assert.equal(done.status?.phase, "Succeeded", done.status?.message);

    const [unit] = await containers(ns, { environment: "dev" });
    const pairs = (de.ports.to - de.ports.from + 1) / 2;
    const next = de.ports.from + (((squatted - de.ports.from) / 2 + 1) % pairs) * 2;
    assert.equal(hostPort(unit), next, "the next pair's blue port");
    assert.match((await page(next)) ?? "", /1\.4\.0/, "the new unit serves on it");
    assert.match((await page(squatted)) ?? "", /1\.4\.0/, "the unit already there still serves");
  });
});
