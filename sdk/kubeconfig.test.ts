import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadClientConfig } from "./client-config.ts";
import { KubeconfigInvalidError, KubeconfigNotFoundError } from "./errors.ts";
import { loadKubeconfig } from "./kubeconfig.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "stella-sdk-kubeconfig-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const config = (name: string, server: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name, cluster: { server, "certificate-authority-data": Buffer.from(CA).toString("base64") } }],
  users: [{ name, user: { token: `token-${name}` } }],
  contexts: [{ name, context: { cluster: name, user: name, namespace: `ns-${name}` } }],
  "current-context": name,
  ...extra,
});

test("an explicit file is read, its current context resolved", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "config");
    await writeFile(path, stringify(config("one", "https://127.0.0.1:7443/")));
    const c = await loadClientConfig({ path, env: {} });
    assert.deepEqual(c, {
      server: "https://127.0.0.1:7443",
      caCertPem: CA,
      insecureSkipTlsVerify: false,
      token: "token-one",
      namespace: "ns-one",
      context: "one",
    });
  });
});

test("KUBECONFIG lists files: the first to define a name or current-context wins; missing files are skipped", async () => {
  await withDir(async (dir) => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    await writeFile(a, stringify({ ...config("one", "https://a:1"), "current-context": undefined }));
    await writeFile(
      b,
      stringify({
        ...config("one", "https://b:1"),
        clusters: [
          { name: "one", cluster: { server: "https://b:1" } },
          { name: "two", cluster: { server: "https://b:2" } },
        ],
        contexts: [
          { name: "one", context: { cluster: "one" } },
          { name: "two", context: { cluster: "two", user: "one" } },
        ],
        "current-context": "two",
      }),
    );
    const env = { KUBECONFIG: [join(dir, "missing"), a, b].join(":") };
    const merged = await loadKubeconfig({ env });
    assert.deepEqual(merged.files, [a, b]);
    assert.equal(merged.currentContext?.value, "two");
    assert.equal(merged.currentContext?.source, b);
    assert.equal(merged.clusters.get("one")?.value.server, "https://a:1", "a defines it first");
    const two = await loadClientConfig({ env });
    assert.equal(two.server, "https://b:2");
    assert.equal(two.token, "token-one", "user from a");
    assert.equal(two.namespace, "default");
    const one = await loadClientConfig({ env, context: "one", namespace: "override" });
    assert.equal(one.server, "https://a:1");
    assert.equal(one.namespace, "override");
  });
});

test("without KUBECONFIG, ~/.kube/config is read", async () => {
  await withDir(async (home) => {
    await mkdir(join(home, ".kube"));
    await writeFile(join(home, ".kube", "config"), stringify(config("home", "https://h:1")));
    assert.equal((await loadClientConfig({ env: {}, home })).server, "https://h:1");
  });
});

test("files named inside a kubeconfig resolve beside it; a token file beats an inline token", async () => {
  await withDir(async (dir) => {
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub", "ca.crt"), CA);
    await writeFile(join(dir, "sub", "token"), "from-file\n");
    const path = join(dir, "sub", "config");
    await writeFile(
      path,
      stringify({
        clusters: [
          {
            name: "c",
            cluster: { server: "https://x:1", "certificate-authority": "ca.crt", "insecure-skip-tls-verify": true },
          },
        ],
        users: [{ name: "u", user: { token: "inline", tokenFile: "token" } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        "current-context": "x",
      }),
    );
    const c = await loadClientConfig({ path });
    assert.equal(c.caCertPem, CA);
    assert.equal(c.token, "from-file");
    assert.equal(c.insecureSkipTlsVerify, true);
  });
});

test("errors name the file and the field", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "config");
    await assert.rejects(loadClientConfig({ path }), (e) => e instanceof KubeconfigNotFoundError && e.path === path);
    await assert.rejects(loadKubeconfig({ env: {}, home: dir }), KubeconfigNotFoundError);

    await writeFile(path, "clusters: [\n  - name: x\n   bad");
    await assert.rejects(
      loadClientConfig({ path }),
      (e) => e instanceof KubeconfigInvalidError && e.path === path && e.field === "" && /not YAML/.test(e.problem),
    );

    await writeFile(path, stringify({ clusters: [{ name: "c", cluster: { server: 42 } }] }));
    await assert.rejects(
      loadClientConfig({ path }),
      (e) => e instanceof KubeconfigInvalidError && e.field === "clusters[0].cluster.server",
    );

    await writeFile(path, stringify({ ...config("one", "https://a:1"), "current-context": "nope" }));
    await assert.rejects(
      loadClientConfig({ path }),
      (e) => e instanceof KubeconfigInvalidError && e.field === "current-context" && e.path === path,
    );
    await assert.rejects(
      loadClientConfig({ path, context: "other" }),
      (e) => e instanceof KubeconfigInvalidError && e.field === "contexts",
    );

    await writeFile(
      path,
      stringify({
        ...config("one", "https://a:1"),
        contexts: [{ name: "one", context: { cluster: "ghost", user: "one" } }],
      }),
    );
    await assert.rejects(
      loadClientConfig({ path }),
      (e) => e instanceof KubeconfigInvalidError && e.field === 'contexts[name="one"].context.cluster',
    );

    await writeFile(
      path,
      stringify({ ...config("one", "https://a:1"), users: [{ name: "one", user: { tokenFile: "absent" } }] }),
    );
    await assert.rejects(
      loadClientConfig({ path }),
      (e) => e instanceof KubeconfigInvalidError && e.field === 'users[name="one"].user.tokenFile',
    );

    await writeFile(path, stringify({ clusters: [] }));
    await assert.rejects(
      loadClientConfig({ path }),
      (e) => e instanceof KubeconfigInvalidError && e.field === "current-context",
    );
  });
});
