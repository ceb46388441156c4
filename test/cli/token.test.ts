// `stella token create` as an operator runs it next to the data directory: the printed token is
// accepted by the server with exactly the roles asked for (repeatable --role), and bad flags are a
// usage error naming the flag.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { startEnv, type TestEnv } from "../env.ts";
import { environmentYaml } from "./manifests.ts";
import { withToken } from "./kubeconfigs.ts";
import { stella } from "./run-stella.ts";

let env: TestEnv;

before(async () => {
  env = await startEnv({ listen: true });
  assert.equal((await stella(["create", "namespace", "shop"], { kubeconfig: env.server.kubeconfigPath })).code, 0);
});
after(() => env.stop());

const mint = (args: string[]) => stella(["token", "create", "--data", env.dataDir, ...args]);

test("two roles in one token: both apply in the namespace, nowhere else", async () => {
  const r = await mint([
    "--role",
    "viewer",
    "--role",
    "operator",
    "--namespace",
    "shop",
    "--user",
    "alice",
    "--ttl",
    "1h",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const token = r.stdout.trim();
  assert.doesNotMatch(token, /\s/, "the token alone is printed");
  const claims = decodeJwt(token);
  assert.equal(claims.sub, "alice");
  assert.deepEqual(claims.grants, [
    { namespace: "shop", role: "viewer" },
    { namespace: "shop", role: "operator" },
  ]);
  assert.ok(claims.exp! - claims.iat! === 3600);

  const kubeconfig = await withToken(env.server.kubeconfigPath, "alice-two-roles.kubeconfig", token);
  const created = await stella(["apply", "-f", "-"], { kubeconfig, input: environmentYaml("dev", "shop") });
  assert.equal(created.code, 0, `operator may write in shop: ${created.stderr}`);
  const elsewhere = await stella(["get", "environments", "-n", "default"], { kubeconfig });
  assert.equal(elsewhere.code, 1);
  assert.match(elsewhere.stderr, /403|forbidden/i);
});

test("the default user names the roles and the namespace", async () => {
  const r = await mint(["--role", "approver", "--role", "viewer", "--namespace", "*"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(decodeJwt(r.stdout.trim()).sub, "approver-viewer-all");
});

test("bad flags: a usage error naming the flag, and no token", async () => {
  for (const [args, message] of [
    [["--namespace", "shop"], /--role is required/],
    [["--role", "operator", "--role", "root", "--namespace", "shop"], /--role must be one of admin, .+, not "root"/],
    [["--role", "viewer"], /--namespace is required/],
    [["--role", "viewer", "--namespace", "shop", "--ttl", "soon"], /ttl/],
  ] as const) {
    const r = await mint([...args]);
    assert.notEqual(r.code, 0, args.join(" "));
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
  }
  const nowhere = await stella([
    "token",
    "create",
    "--role",
    "viewer",
    "--namespace",
    "shop",
    "--data",
    "/nonexistent",
  ]);
  assert.equal(nowhere.code, 1);
  assert.match(nowhere.stderr, /no signing key in \/nonexistent/);
});
