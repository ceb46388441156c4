import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../../crds/meta.ts";
import { secretStrategy } from "./secret.ts";

test("stringData folds into data; a value that is not a string stays to be refused by name", () => {
  const s = { metadata: {}, data: { a: "YQ==" }, stringData: { b: "b", port: 5432 } } as unknown as StellaObject &
    Record<string, unknown>;
  secretStrategy.normalize!(s);
  assert.deepEqual(s.data, { a: "YQ==", b: "Yg==" });
  assert.deepEqual(s.stringData, { port: 5432 });
});

test("causes on data and stringData never show the value, even one holding ': '", () => {
  const causes = secretStrategy.redact!([
    {
      reason: "FieldValueInvalid",
      field: "data.token",
      message: 'Invalid value: "x: hunter2 !": must be base64-encoded',
    },
    {
      reason: "FieldValueTypeInvalid",
      field: "stringData[tls.key]",
      message: "Invalid value: 5432: must be of type string",
    },
    { reason: "FieldValueInvalid", field: "metadata.name", message: 'Invalid value: "Bad": must be lowercase' },
  ]);
  assert.deepEqual(
    causes.map((c) => c.message),
    [
      "Invalid value: <redacted>: must be base64-encoded",
      "Invalid value: <redacted>: must be of type string",
      'Invalid value: "Bad": must be lowercase',
    ],
  );
});
