import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { StellaObject } from "../../../crds/meta.ts";
import { SealedValueError, SecretCipher } from "../../secrets/cipher.ts";
import { LEGACY_SEALED_DATA, SEALED_OBJECT, secretTransform } from "./secret-at-rest.ts";
import { LAST_APPLIED } from "./secret-content.ts";

const cipher = new SecretCipher({ id: "k", key: randomBytes(32) });
const secret = (name = "s") =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Secret",
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      resourceVersion: "7",
      labels: { app: "web" },
      ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o", uid: "u" }],
      annotations: { [LAST_APPLIED]: '{"stringData":{"password":"hunter2"}}' },
      managedFields: [
        {
          manager: "kubectl",
          operation: "Update",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:data": { "f:password": {} } },
        },
      ],
    },
    type: "Opaque",
    data: { password: Buffer.from("hunter2").toString("base64") },
  }) as unknown as StellaObject;

test("the stored form seals everything but identity, labels, owners, finalizers and deletion state", () => {
  const stored = secretTransform(cipher).encode(secret());
  const text = JSON.stringify(stored);
  assert.ok(!text.includes("hunter2") && !text.includes("aHVudGVyMg"), text);
  assert.deepEqual(Object.keys(stored).sort(), ["apiVersion", "kind", "metadata", SEALED_OBJECT].sort());
  assert.deepEqual(Object.keys(stored.metadata).sort(), [
    "labels",
    "name",
    "namespace",
    "ownerReferences",
    "resourceVersion",
    "uid",
  ]);
});

test("decode gives back the object, with the resourceVersion storage assigned", () => {
  const t = secretTransform(cipher);
  const stored = t.encode(secret());
  const decoded = t.decode({ ...stored, metadata: { ...stored.metadata, resourceVersion: "9" } });
  assert.deepEqual(decoded, { ...secret(), metadata: { ...secret().metadata, resourceVersion: "9" } });
});

test("a sealed body copied into another row is refused", () => {
  const t = secretTransform(cipher);
  const other = t.encode(secret("other"));
  const mine = t.encode(secret("mine"));
  assert.throws(
    () => t.decode({ ...mine, [SEALED_OBJECT]: (other as Record<string, unknown>)[SEALED_OBJECT] } as StellaObject),
    SealedValueError,
  );
});

test("the older form (only data sealed) still reads", () => {
  const { data, ...rest } = secret() as StellaObject & { data: Record<string, string> };
  const legacy = { ...rest, [LEGACY_SEALED_DATA]: cipher.seal(Buffer.from(JSON.stringify(data))) } as StellaObject;
  assert.deepEqual(secretTransform(cipher).decode(legacy), secret());
});
