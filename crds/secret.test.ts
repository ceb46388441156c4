import { test } from "node:test";
import assert from "node:assert/strict";
import { SECRET_MAX_BYTES, secretKind } from "./secret.ts";
import { validateObject } from "./validate.ts";

const secret = (fields: Record<string, unknown>) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Secret",
  metadata: { name: "s", namespace: "shop" },
  ...fields,
});
const fieldsOf = (fields: Record<string, unknown>) => {
  const result = validateObject(secretKind, secret(fields));
  return result.ok ? [] : result.causes.map((c) => c.field);
};

test("a secret holds base64 data and plain stringData at the top level, with no spec", () => {
  assert.deepEqual(
    fieldsOf({
      type: "Opaque",
      data: { token: Buffer.from("t0k3n").toString("base64") },
      stringData: { id_ed25519: "-----BEGIN" },
      immutable: true,
    }),
    [],
  );
  assert.deepEqual(fieldsOf({ spec: { data: {} } }), ["spec"]);
});

test("data values must be base64 and keys must be Kubernetes secret keys", () => {
  assert.deepEqual(fieldsOf({ data: { token: "not base64!" } }), ["data.token"]);
  assert.deepEqual(fieldsOf({ stringData: { "bad/key": "x" } }), ["stringData[bad/key]"]);
});

test("a secret may not hold more than 1 MiB", () => {
  assert.deepEqual(fieldsOf({ stringData: { big: "x".repeat(SECRET_MAX_BYTES + 1) } }), ["data"]);
});
