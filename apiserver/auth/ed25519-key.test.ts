import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { test } from "node:test";
import { parseEd25519PrivateKey } from "./ed25519-key.ts";
import { KeyMaterialError } from "./errors.ts";

const pem = (type: "ed25519" | "ec") => {
  const { privateKey } =
    type === "ec" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
  return privateKey.export({ type: "pkcs8", format: "pem" }).toString();
};

test("an Ed25519 PEM is read; anything else names the file and the key's use", () => {
  assert.equal(parseEd25519PrivateKey("/d/signing.key", pem("ed25519"), "token signing").asymmetricKeyType, "ed25519");
  assert.throws(
    () => parseEd25519PrivateKey("/d/signing.key", "not a key", "token signing"),
    (e: unknown) =>
      e instanceof KeyMaterialError &&
      /\/d\/signing\.key/.test(e.message) &&
      /is not a PEM private key/.test(e.message),
  );
  assert.throws(
    () => parseEd25519PrivateKey("/d/evidence.key", pem("ec"), "evidence sealing"),
    (e: unknown) => e instanceof KeyMaterialError && /is a ec key; evidence sealing needs Ed25519/.test(e.message),
  );
});
