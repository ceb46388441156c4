import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unitHostPort } from "./port.ts";

describe("unit host port", () => {
  const unit = {
    ports: [
      { name: "http", containerPort: 8080, hostPort: 21004 },
      { name: "admin", containerPort: 21005, hostPort: 21005 },
    ],
  };
  it("maps a port name to its host port", () => {
    assert.equal(unitHostPort(unit, "http"), 21004);
    assert.equal(unitHostPort(unit, "metrics"), undefined);
  });
  it("maps a container port number to its host port and takes other numbers as host ports", () => {
    assert.equal(unitHostPort(unit, 8080), 21004);
    assert.equal(unitHostPort(unit, 21005), 21005);
    assert.equal(unitHostPort(unit, 9999), 9999);
  });
});
