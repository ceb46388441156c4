import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UnitLabels, type UnitSet } from "../../../sdk/plugins/driver.ts";
import { containerName, parsePorts } from "../../engine/index.ts";
import { renderContainerSpecs } from "./render.ts";

const set: UnitSet = {
  namespace: "shop",
  environment: "dev",
  release: "shop-1-4-0",
  deployment: "dev-1",
  target: "dev-docker",
  slot: "green",
  units: [
    {
      component: "worker",
      imageRef: "r/worker@sha256:bb",
      env: [],
      ports: [],
      command: ["/bin/worker"],
      args: ["--once"],
    },
    {
      component: "web",
      imageRef: "r/web@sha256:aa",
      env: [
        { name: "MODE", value: "fast" },
        { name: "DB_PASSWORD", secretKeyRef: { name: "db", key: "password" } },
      ],
      ports: [
        { name: "http", containerPort: 8080, hostPort: 20010 },
        { name: "admin-api", containerPort: 9000, hostPort: 20011 },
      ],
    },
  ],
};
const specs = () =>
  renderContainerSpecs(set).map((a) => ({ ...a, body: JSON.parse(a.content) as Record<string, unknown> }));

describe("container-spec rendering", () => {
  it("renders one container-spec per component, ordered by component", () => {
    assert.deepEqual(
      specs().map((a) => [a.type, a.component, a.mediaType]),
      [
        ["container-spec", "web", "application/json"],
        ["container-spec", "worker", "application/json"],
      ],
    );
  });

  it("gives PORT, PORT_<NAME>, literals and secret references, in that order", () => {
    assert.deepEqual(specs()[0].body.Env, [
      "PORT=20010",
      "PORT_HTTP=20010",
      "PORT_ADMIN_API=20011",
      "MODE=fast",
      "DB_PASSWORD=$(secret:db/password)",
    ]);
    assert.deepEqual(specs()[1].body.Env, []);
  });

  it("sets host networking, init, restart policy, stop timeout, command and args", () => {
    const worker = specs()[1].body;
    assert.deepEqual(worker.HostConfig, { Init: true, NetworkMode: "host", RestartPolicy: { Name: "unless-stopped" } });
    assert.deepEqual(
      [worker.StopTimeout, worker.Entrypoint, worker.Cmd, worker.Image],
      [10, ["/bin/worker"], ["--once"], "r/worker@sha256:bb"],
    );
    assert.equal("WorkingDir" in worker, false);
  });

  it("labels with everything but the artifact digest and the deployment", () => {
    const labels = specs()[0].body.Labels as Record<string, string>;
    assert.deepEqual(labels, {
      [UnitLabels.managedBy]: "stella",
      [UnitLabels.namespace]: "shop",
      [UnitLabels.environment]: "dev",
      [UnitLabels.release]: "shop-1-4-0",
      [UnitLabels.component]: "web",
      [UnitLabels.slot]: "green",
      [UnitLabels.target]: "dev-docker",
      [UnitLabels.ports]: "http=20010,admin-api=20011",
    });
    assert.deepEqual(parsePorts(labels[UnitLabels.ports]), [
      { name: "http", containerPort: 20010, hostPort: 20010 },
      { name: "admin-api", containerPort: 20011, hostPort: 20011 },
    ]);
  });

  it("is byte-identical for equal sets, whatever the key order, and independent of the deployment", () => {
    const reordered = JSON.parse(JSON.stringify({ ...set, units: [...set.units].reverse() })) as UnitSet;
    assert.deepEqual(renderContainerSpecs(reordered), renderContainerSpecs(set));
    assert.deepEqual(renderContainerSpecs({ ...set, deployment: "dev-2" }), renderContainerSpecs(set));
    assert.notDeepEqual(renderContainerSpecs({ ...set, release: "shop-1-5-0" }), renderContainerSpecs(set));
    assert.match(renderContainerSpecs(set)[0].content, /^\{\n {2}"Env": \[/);
  });

  it("names containers stella-<namespace>-<environment>-<target>-<component>-<slot>", () => {
    assert.equal(containerName(set, "web"), "stella-shop-dev-dev-docker-web-green");
  });
});
