import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Target } from "../../crds/target.ts";
import type { ObservedUnit } from "../../sdk/plugins/driver.ts";
import { unitAddress } from "./addresses.ts";

const target = (spec: Record<string, unknown>): Target =>
  ({ apiVersion: "release.stella.io/v1alpha1", kind: "Target", metadata: { name: "t1" }, spec }) as Target;

const unit = (host?: string): ObservedUnit => ({
  id: "u1",
  name: "web-1",
  namespace: "shop",
  environment: "prod",
  release: "shop-1-5-0",
  deployment: "web",
  target: "t1",
  component: "web",
  slot: "green",
  imageRef: "",
  state: "running",
  running: true,
  ports: [{ name: "http", containerPort: 28000, hostPort: 28000 }],
  ...(host ? { host } : {}),
});

describe("unitAddress: where a router sends a canary's requests", () => {
  it("a unit whose platform said where it answers: that address", () => {
    const nomad = target({ driver: "nomad", nomad: { address: "http://nomad.internal:4646" } });
    assert.equal(unitAddress(nomad, unit("10.0.4.17")), "10.0.4.17:28000");
    assert.equal(unitAddress(nomad, unit("fd00::17")), "[fd00::17]:28000");
  });

  it("nomad and ecs units that carry no address are refused, saying what was missing", () => {
    const ecs = target({ driver: "ecs", ecs: { region: "eu-west-1", cluster: "c" } });
    assert.throws(() => unitAddress(ecs, unit()), /ecs did not say which address it answers on.*0\.0\.0\.0/);
    const nomad = target({ driver: "nomad", nomad: { address: "http://127.0.0.1:4646" } });
    assert.throws(() => unitAddress(nomad, unit()), /nomad did not say.*HostIP/);
  });

  it("docker, compose and ssh units answer where the target's settings say", () => {
    assert.equal(unitAddress(target({ driver: "docker", docker: {} }), unit()), "127.0.0.1:28000");
    const remote = target({ driver: "docker", docker: { host: "tcp://10.1.2.3:2376" } });
    assert.equal(unitAddress(remote, unit()), "10.1.2.3:28000");
    assert.equal(unitAddress(target({ driver: "ssh", ssh: { host: "127.0.0.3" } }), unit()), "127.0.0.3:28000");
  });

  it("an agent target's units answer where the agent said; without that, refused saying what to set", () => {
    const agent = target({ driver: "agent", agent: { name: "web-2-agent" } });
    assert.equal(unitAddress(agent, unit("127.0.0.9")), "127.0.0.9:28000");
    assert.throws(() => unitAddress(agent, unit()), /agent web-2-agent has not reported.*spec\.unitAddress.*--address/);
  });

  it("the target's unitAddress wins over the settings' host and what a driver observed", () => {
    const ssh = target({ driver: "ssh", ssh: { host: "bastion.example.com" }, unitAddress: "10.0.0.5" });
    assert.equal(unitAddress(ssh, unit()), "10.0.0.5:28000");
    const agent = target({ driver: "agent", agent: { name: "a" }, unitAddress: "web-2.internal" });
    assert.equal(unitAddress(agent, unit("192.0.2.1")), "web-2.internal:28000");
  });
});
