import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { SealedValueError, SecretCipher } from "./cipher.ts";
import { LocalKeyProvider, SECRETS_KEY_FILE } from "./key-provider.ts";

const key = (id: string) => ({ id, key: randomBytes(32) });

test("seal then open returns the plaintext, and the sealed form does not contain it", () => {
  const c = new SecretCipher(key("a"));
  const sealed = c.seal(Buffer.from("hunter2"));
  assert.doesNotMatch(sealed, /hunter2/);
  assert.doesNotMatch(Buffer.from(sealed.split(":")[2], "base64").toString("latin1"), /hunter2/);
  assert.equal(c.open(sealed).toString(), "hunter2");
  assert.notEqual(c.seal(Buffer.from("hunter2")), sealed, "a fresh IV every time");
});

test("an altered value or an unknown key is refused", () => {
  const c = new SecretCipher(key("a"));
  const sealed = c.seal(Buffer.from("value"));
  const raw = Buffer.from(sealed.split(":")[2], "base64");
  raw[15] ^= 1;
  assert.throws(() => c.open(`v1:a:${raw.toString("base64")}`), SealedValueError);
  assert.throws(() => new SecretCipher(key("b")).open(sealed), SealedValueError);
});

test("an older key still opens what it sealed after rotation", () => {
  const old = key("old");
  const sealed = new SecretCipher(old).seal(Buffer.from("x"));
  assert.equal(new SecretCipher(key("new"), [old]).open(sealed).toString(), "x");
});

test("the local provider creates a 0600 key file once and reuses it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "stella-keys-"));
  const a = await new LocalKeyProvider(dir).dataKeys();
  const b = await new LocalKeyProvider(dir).dataKeys();
  assert.equal(a.current.id, b.current.id);
  assert.equal((await stat(join(dir, SECRETS_KEY_FILE))).mode & 0o777, 0o600);
  assert.equal(Buffer.from((await readFile(join(dir, SECRETS_KEY_FILE), "utf8")).trim(), "base64").length, 32);
});
