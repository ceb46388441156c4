import { test } from "node:test";
import assert from "node:assert/strict";
import { TARGET_DRIVERS, targetKind } from "./target.ts";
import { validateObject } from "./validate.ts";
import type { StatusCause } from "./errors.ts";

const target = (spec: Record<string, unknown>) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Target",
  metadata: { name: "t", namespace: "shop" },
  spec,
});
const causesOf = (spec: Record<string, unknown>): StatusCause[] => {
  const result = validateObject(targetKind, target(spec));
  return result.ok ? [] : result.causes;
};

const blocks: Record<string, unknown> = {
  docker: { socket: "/var/run/docker.sock" },
  compose: { project: "shop" },
  ssh: {
    host: "127.0.0.2",
    hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFEz",
    privateKeySecretRef: { name: "key", key: "id" },
  },
  agent: { name: "a1" },
  ecs: { region: "eu-west-1", cluster: "c" },
  nomad: { address: "http://127.0.0.1:4646" },
};

test("every driver validates with its own block", () => {
  for (const driver of TARGET_DRIVERS) assert.deepEqual(causesOf({ driver, [driver]: blocks[driver] }), [], driver);
});

test("the matching block is required and named in the error", () => {
  assert.deepEqual(causesOf({ driver: "docker" }), [
    {
      reason: "FieldValueRequired",
      field: "spec.docker",
      message: "Required value: spec.docker is required when driver is docker",
    },
  ]);
});

test("a block of another driver is forbidden at its own path", () => {
  const got = causesOf({ driver: "docker", docker: blocks.docker, nomad: blocks.nomad });
  assert.deepEqual(got, [
    { reason: "FieldValueForbidden", field: "spec.nomad", message: "Forbidden: may only be set when driver is nomad" },
  ]);
  const both = causesOf({ driver: "ssh", docker: blocks.docker });
  assert.deepEqual(
    both.map((c) => c.field),
    ["spec.ssh", "spec.docker"],
  );
});

test("an unknown driver is not supported", () => {
  const [cause] = causesOf({ driver: "kubernetes" });
  assert.equal(cause.field, "spec.driver");
  assert.equal(cause.reason, "FieldValueNotSupported");
});

test("ssh needs a pinned host key in known_hosts form", () => {
  const ssh = { ...(blocks.ssh as object), hostKey: "trust-on-first-use" };
  assert.deepEqual(
    causesOf({ driver: "ssh", ssh }).map((c) => c.field),
    ["spec.ssh.hostKey"],
  );
  const { hostKey: _, ...noKey } = blocks.ssh as Record<string, unknown>;
  assert.deepEqual(
    causesOf({ driver: "ssh", ssh: noKey }).map((c) => [c.field, c.reason]),
    [["spec.ssh.hostKey", "FieldValueRequired"]],
  );
});

test("a docker engine is a socket or a host, not both", () => {
  const got = causesOf({ driver: "docker", docker: { socket: "/run/docker.sock", host: "tcp://127.0.0.1:2376" } });
  assert.deepEqual(
    got.map((c) => c.field),
    ["spec.docker.host"],
  );
  assert.deepEqual(
    causesOf({ driver: "docker", docker: { socket: "relative.sock" } }).map((c) => c.field),
    ["spec.docker.socket"],
  );
});

test("ecs regions and nomad addresses are checked", () => {
  assert.deepEqual(
    causesOf({ driver: "ecs", ecs: { region: "Europe", cluster: "c" } }).map((c) => c.field),
    ["spec.ecs.region"],
  );
  assert.deepEqual(
    causesOf({ driver: "nomad", nomad: { address: "not a url" } }).map((c) => c.field),
    ["spec.nomad.address"],
  );
});

test("spec.unitAddress takes an IP address or a DNS name, and names the field for anything else", () => {
  for (const ok of ["127.0.0.1", "fd00::5", "web-1.internal"])
    assert.deepEqual(causesOf({ driver: "agent", agent: { name: "a1" }, unitAddress: ok }), [], ok);
  for (const bad of ["http://10.0.0.5", "10.0.0.5:8080", "Web-1", ""]) {
    const causes = causesOf({ driver: "agent", agent: { name: "a1" }, unitAddress: bad });
    assert.equal(causes[0]?.field, "spec.unitAddress", bad);
    assert.match(causes[0]?.message ?? "", /IP address or a lowercase DNS name/);
  }
});
