// `stella get` and `stella describe`: the server's tables, -o formats, selectors, -A, errors.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { collection, environment } from "../fixtures.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { stella } from "./run-stella.ts";

let env: TestEnv;
let kubeconfig: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  for (const ns of ["shop", "blog"])
    await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  await env.request("POST", collection("environments", "shop"), environment("dev", "shop", { tier: "low" }));
  await env.request("POST", collection("environments", "shop"), {
    ...environment("prod", "shop", { tier: "high" }),
    spec: { ...environment("prod").spec, upstream: ["dev"] },
  });
  await env.request("POST", collection("environments", "blog"), environment("dev", "blog"));
  await env.request("POST", collection("targets", "shop"), {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: "web-1", namespace: "shop", labels: { "stella.io/environment": "prod" } },
    spec: { driver: "docker", docker: { socket: "/var/run/docker.sock" } },
  });
});
after(() => env.stop());

const run = (...args: string[]) => stella(args, { kubeconfig });
const rows = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => l.split(/\s+/));

test("tables: the server's columns, wide adds priority columns, -A adds NAMESPACE, several kinds are prefixed", async () => {
  const plain = await run("get", "env", "-n", "shop");
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(rows(plain.stdout)[0], ["NAME", "CURRENT", "READY", "PHASE", "AGE"]);
  const wide = await run("get", "environments", "-n", "shop", "-o", "wide");
  assert.deepEqual(rows(wide.stdout)[0], ["NAME", "CURRENT", "READY", "PHASE", "UPSTREAM", "PREVIOUS", "AGE"]);
  assert.match(wide.stdout, /^prod\s+dev\s+\S+$/m);
  const all = await run("get", "env", "-A");
  assert.deepEqual(
    rows(all.stdout).map((r) => r.slice(0, 2)),
    [
      ["NAMESPACE", "NAME"],
      ["blog", "dev"],
      ["shop", "dev"],
      ["shop", "prod"],
    ],
  );
  const both = await run("-n", "shop", "get", "env,tgt");
  assert.match(both.stdout, /^environment\.release\.stella\.io\/dev\s/m);
  assert.match(
    both.stdout,
    /\n\nNAME\s+DRIVER\s+READY\s+REASON\s+LAST PROBE\s+AGE\ntarget\.release\.stella\.io\/web-1\s+docker\s/,
  );
  const labels = await run("get", "env", "-n", "shop", "--show-labels", "--no-headers");
  assert.match(labels.stdout, /^dev\s.*tier=low$/m);
});

test("get targets says why a target is not ready: the Ready condition's reason is a column", async () => {
  const path = `${collection("targets", "shop")}/web-2`;
  await env.request("POST", collection("targets", "shop"), {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: "web-2", namespace: "shop" },
    spec: {
      driver: "ssh",
      ssh: {
        host: "127.0.0.2",
        hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGCzn7BvKDvxmD6DH8xCCi1FtFAqApYUGWRVa8hSvGi6",
        privateKeySecretRef: { name: "deploy-ssh-key", key: "id_ed25519" },
      },
    },
  });
  const current = (await env.request("GET", path)).body as { metadata: { resourceVersion: string } };
  const ready = { type: "Ready", status: "False", reason: "HostKeyMismatch", message: "127.0.0.2:22 presented ..." };
  const written = await env.request("PUT", `${path}/status`, {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: "web-2", namespace: "shop", resourceVersion: current.metadata.resourceVersion },
    status: { conditions: [{ ...ready, lastTransitionTime: new Date().toISOString() }] },
  });
  assert.equal(written.status, 200, written.text);
  try {
    const out = await run("get", "targets", "web-2", "-n", "shop");
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(rows(out.stdout)[0], ["NAME", "DRIVER", "READY", "REASON", "LAST", "PROBE", "AGE"]);
    assert.deepEqual(rows(out.stdout)[1].slice(0, 4), ["web-2", "ssh", "False", "HostKeyMismatch"]);
  } finally {
    await env.request("DELETE", path);
  }
});

test("-o yaml, json, name and jsonpath; selectors", async () => {
  const yaml = parse((await run("get", "environment", "dev", "-n", "shop", "-o", "yaml")).stdout);
  assert.equal(yaml.kind, "Environment");
  assert.equal(yaml.metadata.managedFields, undefined, "hidden unless --show-managed-fields");
  const list = JSON.parse((await run("get", "env", "-n", "shop", "-o", "json")).stdout);
  assert.equal(list.kind, "List");
  assert.deepEqual(
    list.items.map((i: { metadata: { name: string } }) => i.metadata.name),
    ["dev", "prod"],
  );
  assert.equal(
    (await run("get", "env", "-n", "shop", "-l", "tier=high", "-o", "name")).stdout,
    "environment.release.stella.io/prod\n",
  );
  assert.equal(
    (await run("get", "env", "-A", "--field-selector", "metadata.namespace=blog", "-o", "name")).stdout,
    "environment.release.stella.io/dev\n",
  );
  assert.equal((await run("get", "env/prod", "-n", "shop", "-o", "jsonpath={.spec.upstream[0]}")).stdout, "dev");
  assert.equal(
    (await run("get", "env", "-n", "shop", "-o", 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}')).stdout,
    "dev\nprod\n",
  );
  assert.equal(
    (await run("get", "targets", "-n", "shop", "-l", "stella.io/environment=none")).stderr,
    "No resources found in shop namespace.\n",
  );
});

test("what is missing or mistyped: NotFound exits 1 after printing what was found; a bad type or flag exits 2", async () => {
  const some = await run("get", "env", "dev", "nope", "-n", "shop");
  assert.equal(some.code, 1);
  assert.match(some.stdout, /^dev\s/m);
  assert.equal(some.stderr, 'stella get: environments.release.stella.io "nope" not found\n');
  const type = await run("get", "pods");
  assert.equal(type.code, 2);
  assert.match(
    type.stderr,
    /^stella get: the server doesn't have a resource type "pods" \("stella api-resources" lists them\)\n/,
  );
  assert.equal((await run("get", "env", "-o", "xml")).code, 2);
  assert.equal((await run("get", "env", "--bogus")).code, 2);
  assert.equal((await run("get")).code, 2);
});

test("describe: spec, history and related objects both ways", async () => {
  const r = await run("describe", "environment", "dev", "-n", "shop");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Name:\s+dev$/m);
  assert.match(r.stdout, /^Kind:\s+Environment \(release\.stella\.io\/v1alpha1\)$/m);
  assert.match(r.stdout, /^Spec:\n {2}Display Name:\s+dev\n/m);
  assert.match(r.stdout, /^History:\n.*\n.*created\n/m);
  assert.match(r.stdout, /^ {2}Referenced by:\s+Environment\/prod \(spec\.upstream\[0\]\)$/m);
  const prod = await run("describe", "env/prod", "-n", "shop");
  assert.match(prod.stdout, /^ {2}References:\s+Environment\/dev \(spec\.upstream\[0\]\)$/m);
  assert.match(prod.stdout, /^ {2}Selects:\s+Target\/web-1 \(spec\.targetSelector\)$/m);
  const missing = await run("describe", "env", "nope", "-n", "shop");
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'stella describe: environments.release.stella.io "nope" not found\n');
});
