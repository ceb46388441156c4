import { test } from "node:test";
import assert from "node:assert/strict";
import { releaseKind } from "./release.ts";
import { validateObject } from "./validate.ts";
import type { StatusCause } from "./errors.ts";

const web = { name: "web", image: "127.0.0.1:5000/shop/web:1.4.0", ports: [{ name: "http", containerPort: 8080 }] };
const causesOf = (components: unknown[], extra: Record<string, unknown> = {}): StatusCause[] => {
  const obj = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Release",
    metadata: { name: "r" },
    spec: { version: "1.4.0", components, ...extra },
  };
  const result = validateObject(releaseKind, obj);
  return result.ok ? [] : result.causes;
};

test("component names are unique; the repeat is the error", () => {
  const got = causesOf([web, { name: "worker", image: "w:1" }, { name: "web", image: "w:2" }]);
  assert.deepEqual(got, [
    { reason: "FieldValueDuplicate", field: "spec.components[2].name", message: 'Duplicate value: "web"' },
  ]);
});

test("a health check may name a port only if the component has it", () => {
  const ok = { ...web, healthCheck: { http: { path: "/healthz", port: "http" } } };
  assert.deepEqual(causesOf([ok]), []);
  const bad = { ...web, healthCheck: { tcp: { port: "grpc" } } };
  assert.deepEqual(causesOf([bad]), [
    {
      reason: "FieldValueNotFound",
      field: "spec.components[0].healthCheck.tcp.port",
      message: `Not found: "grpc": must name one of the component's ports`,
    },
  ]);
  assert.deepEqual(causesOf([{ ...web, healthCheck: { tcp: { port: 8080 } } }]), []);
});

test("a health check has exactly one probe and a timeout within its interval", () => {
  const none = causesOf([{ ...web, healthCheck: { interval: "2s" } }]);
  assert.deepEqual(
    none.map((c) => [c.field, c.reason]),
    [["spec.components[0].healthCheck", "FieldValueRequired"]],
  );
  const two = causesOf([{ ...web, healthCheck: { http: { port: 8080 }, exec: { command: ["true"] } } }]);
  assert.deepEqual(
    two.map((c) => [c.field, c.reason]),
    [["spec.components[0].healthCheck.exec", "FieldValueForbidden"]],
  );
  const slow = causesOf([{ ...web, healthCheck: { http: { port: 8080 }, interval: "1s", timeout: "2s" } }]);
  assert.deepEqual(
    slow.map((c) => c.field),
    ["spec.components[0].healthCheck.timeout"],
  );
});

test("env vars are unique, valid names, and a value or a secret reference", () => {
  const env = [
    { name: "A", value: "1" },
    { name: "A", value: "2" },
    { name: "1BAD", value: "x" },
    { name: "B", value: "x", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
  ];
  const got = causesOf([{ ...web, env }]).map((c) => [c.field, c.reason]);
  assert.deepEqual(got, [
    ["spec.components[0].env[2].name", "FieldValueInvalid"],
    ["spec.components[0].env[3].valueFrom", "FieldValueForbidden"],
    ["spec.components[0].env[1].name", "FieldValueDuplicate"],
  ]);
});

test("a secret reference in env must name its key", () => {
  const env = [{ name: "C", valueFrom: { secretKeyRef: { name: "s" } } }];
  const got = causesOf([{ ...web, env }]).map((c) => [c.field, c.reason]);
  assert.deepEqual(got, [["spec.components[0].env[0].valueFrom.secretKeyRef.key", "FieldValueRequired"]]);
});

test("component names are DNS labels and source commits are hex", () => {
  const got = causesOf([{ ...web, name: "Web.1" }], { source: { commit: "main" } });
  assert.deepEqual(got.map((c) => c.field).sort(), ["spec.components[0].name", "spec.source.commit"]);
});
