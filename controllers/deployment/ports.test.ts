import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_PORT_RANGE, otherSlot, unitPorts } from "./ports.ts";

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

  it("refuses a range without a pair", () => {
    assert.throws(() => unitPorts({ from: 20000, to: 20000 }, scope, web, "blue"), RangeError);
    assert.equal(otherSlot("blue"), "green");
    assert.equal(otherSlot("green"), "blue");
  });
});
