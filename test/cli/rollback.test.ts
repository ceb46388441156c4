// `stella rollback ENV [--to RELEASE]` against a real apiserver: the Deployment it creates, and
// its refusals when there is nothing to go back to.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";
import { createNamespace, environmentWith, read, release } from "./deployment-objects.ts";
import { stella } from "./run-stella.ts";

const NS = "rollback-cli";
let env: TestEnv;
let kubeconfig: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  await createNamespace(env, NS);
  for (const r of ["shop-1-3-0", "shop-1-4-0", "shop-1-2-0"]) await release(env, NS, r);
  await environmentWith(env, NS, "dev", { current: { release: "shop-1-4-0" }, previous: { release: "shop-1-3-0" } });
  await environmentWith(env, NS, "fresh", { current: { release: "shop-1-4-0" } });
});
after(() => env.stop());

const run = (...args: string[]) => stella([...args, "-n", NS], { kubeconfig });
const deployments = async () => (await env.request("GET", collection("deployments", NS))).body.items;

test("rollback creates a rollback Deployment of the environment's previous release", async () => {
  const res = await run("rollback", "dev");
  assert.equal(res.code, 0, res.stderr);
  const m =
    /^deployment\.release\.stella\.io\/(dev-rollback-[a-z0-9]{5}) created \(rollback of environment dev to release shop-1-3-0\)\n$/.exec(
      res.stdout,
    );
  assert.ok(m, res.stdout);
  const created = await read(env, "deployments", NS, m[1]);
  assert.deepEqual(created.spec, {
    release: "shop-1-3-0",
    environment: "dev",
    rollback: true,
    requestedBy: { username: "admin", groups: ["stella:admins"] },
  });
  assert.equal(created.metadata.generateName, "dev-rollback-");
});

test("--to names the release; -o name prints the created object's name", async () => {
  const res = await run("rollback", "dev", "--to", "shop-1-2-0", "-o", "name");
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^deployment\.release\.stella\.io\/dev-rollback-[a-z0-9]{5}\n$/);
  const name = res.stdout.trim().split("/")[1];
  assert.equal((await read(env, "deployments", NS, name)).spec.release, "shop-1-2-0");
  // The name -o name prints is what rollout status takes.
  const status = await run("rollout", "status", res.stdout.trim());
  assert.equal(status.code, 0, status.stderr);
  assert.match(
    status.stdout,
    /^deployment "dev-rollback-[a-z0-9]{5}": release shop-1-2-0 into environment dev \(rollback\)\nPending: not started yet\n$/,
  );
});

test("refusals: no previous release, the current release, an unknown release or environment", async () => {
  const count = (await deployments()).length;
  const none = await run("rollback", "fresh");
  assert.equal(none.code, 1);
  assert.equal(
    none.stderr,
    "stella rollback: environment fresh has no previous release to roll back to (status.previous is empty); name one with --to RELEASE\n",
  );
  const current = await run("rollback", "dev", "--to", "shop-1-4-0");
  assert.equal(
    current.stderr,
    "stella rollback: release shop-1-4-0 is what environment dev runs now; nothing to roll back to\n",
  );
  const unknown = await run("rollback", "dev", "--to", "shop-0-1-0");
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'stella rollback: releases.release.stella.io "shop-0-1-0" not found\n');
  const noEnv = await run("rollback", "prod");
  assert.equal(noEnv.stderr, 'stella rollback: environments.release.stella.io "prod" not found\n');
  assert.equal((await run("rollback")).code, 2);
  assert.equal((await deployments()).length, count, "a refused rollback creates nothing");
});

test("--promote creates a rollback Promotion under the environment's policy, with --reason", async () => {
  const res = await run("rollback", "dev", "--promote", "--reason", "1.4.0 doubles checkout latency");
  assert.equal(res.code, 0, res.stderr);
  const m =
    /^promotion\.release\.stella\.io\/(dev-rollback-[a-z0-9]{5}) created \(rollback of environment dev to release shop-1-3-0\)\n$/.exec(
      res.stdout,
    );
  assert.ok(m, res.stdout);
  const created = await read(env, "promotions", NS, m[1]);
  const { requestedBy, ...spec } = created.spec;
  assert.deepEqual(spec, {
    release: "shop-1-3-0",
    environment: "dev",
    rollback: true,
    reason: "1.4.0 doubles checkout latency",
  });
  assert.equal(requestedBy.username, "admin", "the requester is the kubeconfig's user, set by the server");
  const byName = await run("rollback", "dev", "--promote", "--to", "shop-1-2-0", "-o", "name");
  assert.match(byName.stdout, /^promotion\.release\.stella\.io\/dev-rollback-[a-z0-9]{5}\n$/);
});

test("--reason without --promote is a usage error and creates nothing", async () => {
  const count = (await deployments()).length;
  const res = await run("rollback", "dev", "--reason", "why not");
  assert.equal(res.code, 2);
  assert.match(res.stderr, /--reason goes with --promote/);
  assert.equal((await deployments()).length, count);
});
