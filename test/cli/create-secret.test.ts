// `stella create secret generic`: literals and files become base64 data; the value never shows
// on the terminal; bad keys and missing files are usage errors.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEnv, type TestEnv } from "../env.ts";
import { stella } from "./run-stella.ts";

describe("stella create secret generic", () => {
  let env: TestEnv;
  let kubeconfig: string;
  before(async () => {
    env = await startEnv({ listen: true });
    kubeconfig = env.server.kubeconfigPath;
  });
  after(() => env.stop());

  test("from literals and files, sealed by the server, never printed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stella-secret-"));
    writeFileSync(join(dir, "id_ed25519"), "-----BEGIN KEY-----\nabc\n");
    const r = await stella(
      [
        "create",
        "secret",
        "generic",
        "login",
        "--from-literal",
        "username=ci",
        "--from-literal",
        "password=p4ss=word",
        "--from-file",
        join(dir, "id_ed25519"),
      ],
      { kubeconfig },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "secret.release.stella.io/login created");
    assert.doesNotMatch(r.stdout + r.stderr, /p4ss/);
    const got = await env.request("GET", "/apis/release.stella.io/v1alpha1/namespaces/default/secrets/login");
    const decode = (k: string) => Buffer.from(got.body.data[k], "base64").toString();
    assert.equal(decode("username"), "ci");
    assert.equal(decode("password"), "p4ss=word");
    assert.equal(decode("id_ed25519"), "-----BEGIN KEY-----\nabc\n");
  });

  test("a bad key, a repeated key and a missing file are usage errors (exit 2) and nothing is created", async () => {
    for (const args of [
      ["--from-literal", "bad key=v"],
      ["--from-literal", "a=1", "--from-literal", "a=2"],
      ["--from-file", "/nonexistent/file"],
      [],
    ]) {
      const r = await stella(["create", "secret", "generic", "broken", ...args], { kubeconfig });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    }
    assert.equal(
      (await env.request("GET", "/apis/release.stella.io/v1alpha1/namespaces/default/secrets/broken")).status,
      404,
    );
  });
});
