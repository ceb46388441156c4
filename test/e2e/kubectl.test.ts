// kubectl v1.32, unchanged, against Stella with the admin kubeconfig the server writes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { EXAMPLES_DIR } from "../fixtures.ts";
import { kubectl, kubectlStream } from "../kubectl.ts";

describe("kubectl end to end", () => {
  let env: TestEnv;
  let kc: string;
  const k = (...args: string[]) => kubectl(kc, args);
  before(async () => {
    env = await startEnv({ listen: true });
    kc = env.server.kubeconfigPath;
  });
  after(() => env.stop());

  test("api-resources lists Stella's kinds with short names", async () => {
    const r = await k("api-resources");
    assert.equal(r.code, 0, r.stderr);
    for (const line of [
      /^environments\s+env\s+release\.stella\.io\/v1alpha1\s+true\s+Environment/m,
      /^releases\s+rel\s+/m,
      /^namespaces\s+ns\s+v1\s+false\s+Namespace/m,
    ])
      assert.match(r.stdout, line);
  });

  test("create namespace, then apply the example estate (client-side)", async () => {
    const ns = await k("create", "namespace", "shop");
    assert.equal(ns.code, 0, ns.stderr);
    const r = await k("apply", "-f", `${EXAMPLES_DIR}estate.yaml`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /environment\.release\.stella\.io\/dev created/);
    assert.match(r.stdout, /target\.release\.stella\.io\/prod-ecs created/);
    const again = await k("apply", "-f", `${EXAMPLES_DIR}estate.yaml`);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /environment\.release\.stella\.io\/dev unchanged/);
  });

  test("get prints tables, -o yaml|json|jsonpath, -l and -A", async () => {
    const table = await k("get", "environments", "-n", "shop");
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+/);
    assert.match(table.stdout, /^dev\s+/m);
    assert.match(table.stdout, /AGE/);
    const yaml = await k("get", "env", "staging", "-n", "shop", "-o", "yaml");
    assert.match(yaml.stdout, /requiredSoak: 10m/);
    const json = JSON.parse((await k("get", "targets", "-n", "shop", "-o", "json")).stdout);
    assert.equal(json.items.length, 6);
    const jp = await k("get", "targets", "-n", "shop", "-l", "role=web", "-o", "jsonpath={.items[*].metadata.name}");
    assert.equal(jp.stdout.trim(), "prod-web-1 prod-web-2");
    const all = await k("get", "environments", "-A");
    assert.match(all.stdout, /^NAMESPACE\s+NAME/);
    assert.match(all.stdout, /^shop\s+prod\s+/m);
  });

  test("apply --server-side, and a changed manifest is configured", async () => {
    const r = await k("apply", "--server-side", "-f", `${EXAMPLES_DIR}release.yaml`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /release\.stella\.io\/shop-1-4-0 serverside-applied/);
    const got = JSON.parse(
      (await k("get", "release", "shop-1-4-0", "-n", "shop", "-o", "json", "--show-managed-fields")).stdout,
    );
    assert.ok(got.metadata.managedFields.some((m: { manager: string }) => m.manager === "kubectl"));
  });

  test("get -w prints changes as they happen", async () => {
    const w = kubectlStream(kc, ["get", "environments", "-n", "shop", "-w", "--output-watch-events"]);
    try {
      await w.waitFor((l) => /\bdev\b/.test(l));
      const p = await k("label", "environment", "dev", "-n", "shop", "watched=yes");
      assert.equal(p.code, 0, p.stderr);
      await w.waitFor((l) => /^MODIFIED\s+dev/.test(l));
    } finally {
      w.child.kill();
    }
  });

  test("wait --for=condition=Ready returns once a controller reports Ready", async () => {
    const waiting = k("wait", "--for=condition=Ready", "environment/prod", "-n", "shop", "--timeout=20s");
    await new Promise((r) => setTimeout(r, 500));
    const status = {
      status: {
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "AllTargetsReady",
            message: "3/3 targets ready",
            lastTransitionTime: new Date().toISOString().replace(/\.\d+Z/, "Z"),
          },
        ],
      },
    };
    const res = await env.request(
      "PATCH",
      "/apis/release.stella.io/v1alpha1/namespaces/shop/environments/prod/status",
      status,
      { "content-type": "application/merge-patch+json" },
    );
    assert.equal(res.status, 200, res.text);
    const r = await waiting;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /environment\.release\.stella\.io\/prod condition met/);
  });

  test("explain describes fields from the OpenAPI schema", async () => {
    const r = await k("explain", "environments.spec.approvals");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+Environment/);
    assert.match(r.stdout, /required/);
  });

  test("a bad manifest is refused naming the field, and nothing is created", async () => {
    const r = await k("apply", "-f", `${EXAMPLES_DIR}bad/environment-unknown-field.yaml`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /targetSelecter/);
    const get = await k("get", "environment", "typo", "-n", "shop");
    assert.notEqual(get.code, 0);
  });

  test("delete --cascade=foreground removes the object", async () => {
    const r = await k("delete", "target", "prod-ecs", "-n", "shop", "--cascade=foreground");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /target\.release\.stella\.io "prod-ecs" deleted/);
    const get = await k("get", "target", "prod-ecs", "-n", "shop");
    assert.notEqual(get.code, 0);
    assert.match(get.stderr, /NotFound|not found/);
  });

  test("a forged token is refused with Unauthorized", async () => {
    const r = await kubectl(kc, ["get", "environments", "-n", "shop", "--token", "not-a-jwt"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Unauthorized|must be logged in/i);
  });
});
