// kubectl's global flags stand before or after the verb on every command: --kubeconfig, --context,
// -n/--namespace, -A and --request-timeout (and -o before the verb). No KUBECONFIG is set here, so
// every server-facing run below works only if the flag reached the command.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { stella } from "./run-stella.ts";

let env: TestEnv;
let kubeconfig: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
});
after(() => env.stop());

test("--kubeconfig before the verb, before the subcommand, and after it", async () => {
  for (const [i, args] of [
    ["--kubeconfig", kubeconfig, "create", "namespace", "first"],
    ["create", "--kubeconfig", kubeconfig, "namespace", "second"],
    ["create", "namespace", "third", "--kubeconfig", kubeconfig],
    [`--kubeconfig=${kubeconfig}`, "-o", "name", "create", "namespace", "fourth"],
  ].entries()) {
    const r = await stella(args);
    assert.equal(r.code, 0, `run ${i}: ${r.stderr}`);
  }
  const listed = await stella(["--kubeconfig", kubeconfig, "get", "namespaces", "-o", "name"]);
  assert.equal(listed.code, 0, listed.stderr);
  for (const ns of ["first", "second", "third", "fourth"])
    assert.match(listed.stdout, new RegExp(`namespace/${ns}\\b`));
});

test("-n and -A before the verb; a command with no use for a global flag accepts it", async () => {
  const r = await stella(["-n", "first", "--kubeconfig", kubeconfig, "get", "environments"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr + r.stdout, /No resources found in first namespace/);
  const all = await stella(["-A", "--kubeconfig", kubeconfig, "get", "environments"]);
  assert.equal(all.code, 0, all.stderr);
  const token = await stella([
    "--kubeconfig",
    kubeconfig,
    "token",
    "create",
    "--data",
    env.dataDir,
    "--role",
    "viewer",
    "--namespace",
    "first",
  ]);
  assert.equal(token.code, 0, token.stderr);
  assert.match(token.stdout.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const version = await stella(["version", "--client", "--context", "nowhere", "-n", "x"]);
  assert.equal(version.code, 0, version.stderr);
  for (const args of [
    ["--context", "nowhere", "-n", "x", "completion", "bash"],
    ["completion", "zsh", "--request-timeout", "5s"],
  ]) {
    const completion = await stella(args);
    assert.equal(completion.code, 0, `${args.join(" ")}: ${completion.stderr}`);
    assert.match(completion.stdout, /stella/);
  }
});

test("--request-timeout bounds a request; a bad duration is a usage error naming the flag", async () => {
  const ok = await stella(["get", "namespaces", "--request-timeout", "30s", "--kubeconfig", kubeconfig]);
  assert.equal(ok.code, 0, ok.stderr);
  const bad = await stella(["get", "namespaces", "--request-timeout=soon", "--kubeconfig", kubeconfig]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--request-timeout must be a duration/);
});

test("an unknown flag before the verb is still refused", async () => {
  const r = await stella(["--bogus", "get", "namespaces", "--kubeconfig", kubeconfig]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "--bogus"/);
});
