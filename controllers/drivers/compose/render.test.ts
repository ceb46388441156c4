import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { MANAGED_BY, UnitLabels, type UnitSet } from "../../../sdk/plugins/driver.ts";
import { ARTIFACT_VARIABLE, DEPLOYMENT_VARIABLE, renderComposeFile } from "./render.ts";

const WEB = "127.0.0.1:5000/shop/web@sha256:" + "a".repeat(64);
const WORKER = "127.0.0.1:5000/shop/worker@sha256:" + "b".repeat(64);

function set(): UnitSet {
  return {
    namespace: "shop",
    environment: "staging",
    release: "shop-1-5",
    deployment: "shop-1-5-staging",
    target: "staging-compose",
    slot: "green",
    units: [
      {
        component: "worker",
        imageRef: WORKER,
        env: [{ name: "TOKEN", secretKeyRef: { name: "api", key: "token" } }],
        ports: [],
        args: ["run", "--queue=$QUEUE"],
      },
      {
        component: "web",
        imageRef: WEB,
        command: ["/bin/sh", "-c"],
        args: ["exec httpd -f -p 127.0.0.1:$PORT"],
        workingDir: "/www",
        user: "1000:1000",
        env: [
          { name: "PRICE", value: "5$ or ${HOME}" },
          { name: "PORT", value: "8080" },
          { name: "DB_PASSWORD", secretKeyRef: { name: "db", key: "password" } },
          { name: "API_TOKEN", secretKeyRef: { name: "api", key: "token" } },
        ],
        ports: [
          { name: "http", containerPort: 8080, hostPort: 22010 },
          { name: "alt-port", containerPort: 8081, hostPort: 22011 },
        ],
      },
    ],
  };
}

const WEB_SVC = "web-green.staging.shop";
const WORKER_SVC = "worker-green.staging.shop";

type Service = Record<string, unknown> & { environment: Record<string, string>; labels: Record<string, string> };
const services = (content: string) => (parse(content) as { services: Record<string, Service> }).services;

describe("renderComposeFile", () => {
  it("is deterministic and depends on neither unit order nor the deployment", () => {
    const a = renderComposeFile(set(), "shop-staging");
    const reordered = set();
    reordered.units.reverse();
    assert.deepEqual(renderComposeFile(reordered, "shop-staging"), a);
    assert.equal(renderComposeFile({ ...set(), deployment: "a-rollback" }, "shop-staging").content, a.content);
    assert.notEqual(renderComposeFile({ ...set(), release: "shop-1-6" }, "shop-staging").content, a.content);
  });

  it("writes version 2.4 and one service per component, named <component>-<slot>.<environment>.<namespace>", () => {
    const file = renderComposeFile(set(), "shop-staging");
    const doc = parse(file.content) as { version: string; services: Record<string, unknown> };
    assert.equal(doc.version, "2.4");
    assert.deepEqual(Object.keys(doc.services), [WEB_SVC, WORKER_SVC]);
    assert.deepEqual(file.services, [WEB_SVC, WORKER_SVC]);
  });

  it("pins the image and sets host networking, init, restart policy, stop grace and the container name", () => {
    const web = services(renderComposeFile(set(), "shop-staging").content)[WEB_SVC];
    assert.equal(web.image, WEB);
    assert.equal(web.network_mode, "host");
    assert.equal(web.init, true);
    assert.equal(web.restart, "unless-stopped");
    assert.equal(web.stop_grace_period, "10s");
    assert.equal(web.container_name, "stella-shop-staging-staging-compose-web-green", "the docker driver's name");
    assert.deepEqual(Object.keys(web), [...Object.keys(web)].sort(), "keys in sorted order");
  });

  it("maps command to entrypoint and args to command, escaping $", () => {
    const all = services(renderComposeFile(set(), "p").content);
    assert.deepEqual(all[WEB_SVC].entrypoint, ["/bin/sh", "-c"]);
    assert.deepEqual(all[WEB_SVC].command, ["exec httpd -f -p 127.0.0.1:$$PORT"]);
    assert.equal(all[WEB_SVC].working_dir, "/www");
    assert.equal(all[WEB_SVC].user, "1000:1000");
    assert.equal(all[WORKER_SVC].entrypoint, undefined);
    assert.deepEqual(all[WORKER_SVC].command, ["run", "--queue=$$QUEUE"]);
  });

  it("sets PORT and PORT_<NAME> (the unit's own win, as with the docker driver), escapes literals and refers to secrets by variable", () => {
    const file = renderComposeFile(set(), "p");
    const env = services(file.content)[WEB_SVC].environment;
    assert.equal(env.PORT, "8080");
    assert.equal(env.PORT_HTTP, "22010");
    assert.equal(env.PORT_ALT_PORT, "22011");
    assert.equal(env.PRICE, "5$$ or $${HOME}");
    // numbered in order of first use: services sorted by name, each unit's env in declared order
    assert.match(env.DB_PASSWORD, /^\$\{STELLA_SECRET_0:\?[^}]*\}$/);
    assert.match(env.API_TOKEN, /^\$\{STELLA_SECRET_1:\?[^}]*\}$/);
    assert.equal(services(file.content)[WORKER_SVC].environment.TOKEN, env.API_TOKEN, "one variable per secret key");
    assert.deepEqual(file.secrets, [
      { variable: "STELLA_SECRET_0", ref: { name: "db", key: "password" } },
      { variable: "STELLA_SECRET_1", ref: { name: "api", key: "token" } },
    ]);
    assert.ok(!("PORT" in services(file.content)[WORKER_SVC].environment), "no ports, no PORT");
    const noOwnPort = set();
    noOwnPort.units[1].env = [];
    assert.equal(services(renderComposeFile(noOwnPort, "p").content)[WEB_SVC].environment.PORT, "22010");
  });

  it("labels every service with Stella's labels; artifact and deployment come from variables", () => {
    const labels = services(renderComposeFile(set(), "p").content)[WEB_SVC].labels;
    assert.deepEqual(
      { ...labels, [UnitLabels.artifact]: undefined, [UnitLabels.deployment]: undefined },
      {
        [UnitLabels.managedBy]: MANAGED_BY,
        [UnitLabels.namespace]: "shop",
        [UnitLabels.environment]: "staging",
        [UnitLabels.release]: "shop-1-5",
        [UnitLabels.component]: "web",
        [UnitLabels.slot]: "green",
        [UnitLabels.target]: "staging-compose",
        [UnitLabels.ports]: "http=22010,alt-port=22011",
        [UnitLabels.artifact]: undefined,
        [UnitLabels.deployment]: undefined,
      },
    );
    assert.match(labels[UnitLabels.artifact], new RegExp(`^\\$\\{${ARTIFACT_VARIABLE}:\\?`));
    assert.match(labels[UnitLabels.deployment], new RegExp(`^\\$\\{${DEPLOYMENT_VARIABLE}:\\?`));
  });

  it("documents the variables in a header comment, naming secrets by reference", () => {
    const { content } = renderComposeFile(set(), "p");
    assert.match(content, /^# Generated by Stella/);
    assert.match(content, /# +STELLA_SECRET_0: Secret db, key password\n/);
  });
});
