import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ObservedUnit } from "../../sdk/plugins/driver.ts";
import { DEFAULT_PORT_RANGE, heldPorts, otherSlot, PortRangeExhaustedError, setPorts, unitPorts } from "./ports.ts";

const web = {
  name: "web",
  image: "r/web@sha256:" + "a".repeat(64),
  ports: [
    { name: "http", containerPort: 8080 },
    { name: "admin", containerPort: 9090 },
  ],
};
const scope = { namespace: "shop", environment: "dev", target: "dev-docker" };

describe("host ports", () => {
  it("derives the same ports every time, inside the range, different per slot and per port", () => {
    const blue = unitPorts(DEFAULT_PORT_RANGE, scope, web, "blue");
    const green = unitPorts(DEFAULT_PORT_RANGE, scope, web, "green");
    assert.deepEqual(unitPorts(DEFAULT_PORT_RANGE, scope, web, "blue"), blue);
    for (const p of [...blue, ...green])
      assert.ok(p.hostPort >= DEFAULT_PORT_RANGE.from && p.hostPort <= DEFAULT_PORT_RANGE.to, String(p.hostPort));
    assert.equal(green[0].hostPort, blue[0].hostPort + 1);
    assert.notEqual(blue[0].hostPort, blue[1].hostPort);
    assert.deepEqual(
      blue.map((p) => [p.name, p.containerPort]),
      [
        ["http", 8080],
        ["admin", 9090],
      ],
    );
  });

  it("gives another environment other ports", () => {
    const dev = unitPorts(DEFAULT_PORT_RANGE, scope, web, "blue")[0].hostPort;
    const staging = unitPorts(DEFAULT_PORT_RANGE, { ...scope, environment: "staging" }, web, "blue")[0].hostPort;
    assert.notEqual(dev, staging);
  });

  it("gives the components of one unit set pairs of their own, though none of them runs yet", () => {
    // 20 one-port components hashed into 30 pairs meet on some pair (as the platform benchmark's
    // 20-task release did on ECS); planned as one set, each gets a pair no other one has.
    const range = { from: 29600, to: 29659 };
    const components = Array.from({ length: 20 }, (_, i) => ({
      name: `web-${i + 1}`,
      image: web.image,
      ports: [{ name: "http", containerPort: 8080 }],
    }));
    const hashedAlone = components.map((c) => unitPorts(range, scope, c, "blue")[0].hostPort);
    assert.ok(new Set(hashedAlone).size < components.length, "the hashes alone meet (else this case shows nothing)");
    for (const slot of ["blue", "green"] as const) {
      const ports = [...setPorts(range, scope, components, slot).values()].map((p) => p[0].hostPort);
      assert.equal(new Set(ports.map((p) => p >> 1)).size, components.length, `${slot}: ${ports}`);
    }
    const blue = setPorts(range, scope, components, "blue");
    const green = setPorts(range, scope, components, "green");
    for (const c of components) assert.equal(green.get(c.name)![0].hostPort, blue.get(c.name)![0].hostPort + 1);
  });

  it("refuses a range without a pair", () => {
    assert.throws(() => unitPorts({ from: 20000, to: 20000 }, scope, web, "blue"), RangeError);
    assert.equal(otherSlot("blue"), "green");
    assert.equal(otherSlot("green"), "blue");
  });

  describe("on an engine other units share", () => {
    const unit = (over: Partial<ObservedUnit>, hostPort: number, name = "http"): ObservedUnit => ({
      id: `c${hostPort}`,
      name: `u${hostPort}`,
      namespace: "shop",
      environment: "dev",
      release: "r",
      deployment: "d",
      target: "dev-docker",
      component: "web",
      slot: hostPort % 2 === 0 ? "blue" : "green",
      imageRef: "r/web@sha256:" + "a".repeat(64),
      state: "running",
      running: true,
      ports: [{ name, containerPort: 8080, hostPort }],
      ...over,
    });
    const hashed = unitPorts(DEFAULT_PORT_RANGE, scope, web, "blue")[0].hostPort;
    const next = hashed + 2 > DEFAULT_PORT_RANGE.to ? DEFAULT_PORT_RANGE.from : hashed + 2;

    it("takes the next free pair when another unit port holds a port of the hashed pair", () => {
      for (const taken of [hashed, hashed + 1]) {
        const held = heldPorts([unit({ environment: "staging" }, taken)]);
        assert.equal(unitPorts(DEFAULT_PORT_RANGE, scope, web, "blue", held)[0].hostPort, next, `held ${taken}`);
        assert.equal(unitPorts(DEFAULT_PORT_RANGE, scope, web, "green", held)[0].hostPort, next + 1);
      }
    });

    it("keeps the pair its own units hold, even when it is not the hashed one (a restart, the next slot)", () => {
      const held = heldPorts([unit({ environment: "staging" }, hashed), unit({}, next)]);
      assert.equal(unitPorts(DEFAULT_PORT_RANGE, scope, web, "green", held)[0].hostPort, next + 1);
      // Its own unit on the hashed pair is not another's: nothing moves.
      const own = heldPorts([unit({}, hashed)]);
      assert.equal(unitPorts(DEFAULT_PORT_RANGE, scope, web, "green", own)[0].hostPort, hashed + 1);
    });

    it("keeps the port its unit in the slot holds; moves the other slot off a port another unit holds", () => {
      // After a race: its blue unit on the hashed pair, another environment's unit on that pair's green port.
      const held = heldPorts([unit({}, hashed), unit({ environment: "staging" }, hashed + 1)]);
      assert.equal(unitPorts(DEFAULT_PORT_RANGE, scope, web, "blue", held)[0].hostPort, hashed, "not moved");
      assert.equal(unitPorts(DEFAULT_PORT_RANGE, scope, web, "green", held)[0].hostPort, next + 1);
    });

    it("gives each named port of a component a pair of its own, and refuses when none is left", () => {
      const range = { from: 20000, to: 20003 };
      const ports = unitPorts(range, scope, web, "blue").map((p) => p.hostPort);
      assert.deepEqual([...ports].sort(), [20000, 20002]);
      const full = heldPorts([unit({ environment: "staging" }, 20000), unit({ environment: "prod" }, 20003)]);
      assert.throws(() => unitPorts(range, scope, web, "blue", full), PortRangeExhaustedError);
    });
  });
});
