import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NomadAllocPlacement } from "./job.ts";
import { allocHost } from "./observe.ts";

// Shapes of GET /v1/allocation/:id (https://developer.hashicorp.com/nomad/api-docs/allocations#read-allocation).
const alloc = (shared: NonNullable<NomadAllocPlacement["AllocatedResources"]>["Shared"]): NomadAllocPlacement => ({
  ID: "5456bd7a-9fc0-c0dd-6131-cbee77f57577",
  NodeID: "fb2170a8-257d-3c64-b14d-bc06cc94e34c",
  AllocatedResources: { Shared: shared },
});

describe("allocHost: where Nomad bound an allocation's port", () => {
  it("takes the HostIP of the port with the unit's label from Shared.Ports", () => {
    const a = alloc({
      Ports: [
        { Label: "admin", Value: 29001, To: 0, HostIP: "10.0.0.9" },
        { Label: "http", Value: 29000, To: 0, HostIP: "10.0.4.17" },
      ],
      Networks: [{ IP: "10.0.0.9", ReservedPorts: [{ Label: "admin", Value: 29001 }] }],
    });
    assert.equal(allocHost(a, "http"), "10.0.4.17");
    assert.equal(allocHost(a, "admin"), "10.0.0.9");
  });

  it("falls back to the IP of the network that reserves the port (no Shared.Ports, as before Nomad 1.0)", () => {
    const a = alloc({
      Networks: [
        { IP: "10.0.0.9", ReservedPorts: [{ Label: "admin", Value: 29001 }] },
        { IP: "10.0.4.17", ReservedPorts: [{ Label: "http", Value: 29000 }] },
      ],
    });
    assert.equal(allocHost(a, "http"), "10.0.4.17");
  });

  it("says nothing for a wildcard or missing address", () => {
    assert.equal(allocHost(alloc({ Ports: [{ Label: "http", Value: 1, HostIP: "0.0.0.0" }] }), "http"), undefined);
    assert.equal(allocHost(alloc({ Ports: null, Networks: null }), "http"), undefined);
    assert.equal(allocHost({ ID: "x", NodeID: "n", AllocatedResources: null }, "http"), undefined);
  });

  it("keeps an IPv6 HostIP as given (the router brackets it)", () => {
    assert.equal(allocHost(alloc({ Ports: [{ Label: "http", Value: 1, HostIP: "fd00::17" }] }), "http"), "fd00::17");
  });
});
