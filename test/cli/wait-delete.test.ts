// `stella wait` and `stella delete`: conditions (current generation only), jsonpath values,
// deletion; delete waits for finalizers and foreground cascades, or times out saying why.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { collection, environment } from "../fixtures.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { startStella, stella } from "./run-stella.ts";

let env: TestEnv;
let kubeconfig: string;
const envs = collection("environments", "shop");

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
});
after(() => env.stop());

const create = async (obj: object) => {
  const r = await env.request("POST", envs, obj);
  assert.equal(r.status, 201, r.text);
  return r.body;
};
const setStatus = async (name: string, status: object) => {
  const live = (await env.request("GET", `${envs}/${name}`)).body;
  const r = await env.request("PUT", `${envs}/${name}/status`, { ...live, status });
  assert.equal(r.status, 200, r.text);
};
const ready = (status: string, observedGeneration: number) => ({
  phase: status === "True" ? "Ready" : "Pending",
  conditions: [
    {
      type: "Ready",
      status,
      reason: status === "True" ? "AllTargetsReady" : "Waiting",
      message: "",
      lastTransitionTime: new Date().toISOString(),
      observedGeneration,
    },
  ],
});

test("wait --for=condition waits until the condition holds for the current generation", async () => {
  await create(environment("w1", "shop"));
  await setStatus("w1", ready("False", 1));
  const wait = startStella(["wait", "--for=condition=Ready", "environment/w1", "-n", "shop", "--timeout=120s"], {
    kubeconfig,
  });
  await setStatus("w1", ready("True", 1));
  assert.equal(await wait.exited, 0, wait.stderr.join("\n"));
  assert.deepEqual(wait.stdout, ["environment.release.stella.io/w1 condition met"]);

  // A spec change makes generation 2: Ready=True about generation 1 no longer counts.
  const patched = await env.request(
    "PATCH",
    `${envs}/w1`,
    { spec: { displayName: "changed" } },
    { "content-type": "application/merge-patch+json" },
  );
  assert.equal(patched.body.metadata.generation, 2);
  const stale = await stella(["wait", "--for=condition=Ready", "env/w1", "-n", "shop", "--timeout=1s"], { kubeconfig });
  assert.equal(stale.code, 1);
  assert.equal(
    stale.stderr,
    "stella wait: timed out after 1s waiting for the condition on environments/w1: Ready=True (AllTargetsReady), observed generation 1 < 2\n",
  );
});

test("wait --for=jsonpath, and for several objects selected by label", async () => {
  await create(environment("j1", "shop", { group: "j" }));
  await create(environment("j2", "shop", { group: "j" }));
  const wait = startStella(
    ["wait", "--for=jsonpath={.status.phase}=Ready", "environments", "-l", "group=j", "-n", "shop", "--timeout=120s"],
    { kubeconfig },
  );
  await setStatus("j1", ready("True", 1));
  await setStatus("j2", ready("True", 1));
  assert.equal(await wait.exited, 0, wait.stderr.join("\n"));
  assert.deepEqual(wait.stdout.sort(), [
    "environment.release.stella.io/j1 condition met",
    "environment.release.stella.io/j2 condition met",
  ]);
  const missing = await stella(["wait", "--for=condition=Ready", "env/nope", "-n", "shop"], { kubeconfig });
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'stella wait: environments.release.stella.io "nope" not found\n');
  assert.equal((await stella(["wait", "--for=ready", "env/j1", "-n", "shop"], { kubeconfig })).code, 2);
});

test("wait --for=delete returns once the object is gone", async () => {
  await create(environment("d1", "shop"));
  const wait = startStella(["wait", "--for=delete", "env/d1", "-n", "shop", "--timeout=120s"], { kubeconfig });
  assert.equal((await env.request("DELETE", `${envs}/d1`)).status, 200);
  assert.equal(await wait.exited, 0, wait.stderr.join("\n"));
  assert.deepEqual(wait.stdout, ["environment.release.stella.io/d1 condition met"]);
});

test("delete waits for finalizers; --wait=false does not; --timeout says what holds the object", async () => {
  const held = {
    ...environment("held", "shop"),
    metadata: { ...environment("held", "shop").metadata, finalizers: ["test.stella.io/hold"] },
  };
  await create(held);
  const del = startStella(["delete", "environment", "held", "-n", "shop"], { kubeconfig });
  await del.waitFor((l) => l === 'environment.release.stella.io "held" deleted');
  const during = (await env.request("GET", `${envs}/held`)).body;
  assert.ok(during.metadata.deletionTimestamp, "the finalizer holds the object");
  await env.request(
    "PATCH",
    `${envs}/held`,
    { metadata: { finalizers: null } },
    { "content-type": "application/merge-patch+json" },
  );
  assert.equal(await del.exited, 0, del.stderr.join("\n"));
  assert.equal((await env.request("GET", `${envs}/held`)).status, 404, "delete returned only once the object was gone");

  await create({ ...held, metadata: { ...held.metadata, name: "held2" } });
  const timedOut = await stella(["delete", "env/held2", "-n", "shop", "--timeout=1s"], { kubeconfig });
  assert.equal(timedOut.code, 1);
  assert.equal(
    timedOut.stderr,
    "stella delete: timed out after 1s waiting for environments/held2 to be deleted: being deleted (finalizers: test.stella.io/hold)\n",
  );
  await create({ ...held, metadata: { ...held.metadata, name: "held3" } });
  const noWait = await stella(["delete", "env/held3", "-n", "shop", "--wait=false"], { kubeconfig });
  assert.equal(noWait.code, 0, noWait.stderr);
  assert.equal((await env.request("GET", `${envs}/held3`)).status, 200, "still held: delete did not wait");
});

test("--cascade: orphan keeps dependents, foreground deletes them before the owner", async () => {
  for (const [owner, child] of [
    ["o1", "c1"],
    ["o2", "c2"],
  ]) {
    const o = await create(environment(owner, "shop"));
    const ref = {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Environment",
      name: owner,
      uid: o.metadata.uid,
      blockOwnerDeletion: true,
    };
    await create({
      ...environment(child, "shop"),
      metadata: { ...environment(child, "shop").metadata, ownerReferences: [ref] },
    });
  }
  const orphan = await stella(["delete", "env", "o1", "-n", "shop", "--cascade=orphan"], { kubeconfig });
  assert.equal(orphan.code, 0, orphan.stderr);
  assert.equal((await env.request("GET", `${envs}/c1`)).status, 200, "orphaned dependent stays");
  const fg = await stella(["delete", "env", "o2", "-n", "shop", "--cascade=foreground"], { kubeconfig });
  assert.equal(fg.code, 0, fg.stderr);
  assert.equal((await env.request("GET", `${envs}/c2`)).status, 404, "dependent gone before the owner");
  assert.equal((await stella(["delete", "env", "x", "--cascade=sideways"], { kubeconfig })).code, 2);
  const missing = await stella(["delete", "env", "nope", "-n", "shop"], { kubeconfig });
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'stella delete: environments.release.stella.io "nope" not found\n');
  assert.equal((await stella(["delete", "env", "nope", "-n", "shop", "--ignore-not-found"], { kubeconfig })).code, 0);
});
