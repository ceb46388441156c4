import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { KubeconfigInvalidError, KubeconfigNotFoundError } from "./errors.ts";
import { readKubeconfig, writeKubeconfig } from "./kubeconfig.ts";
import { ensurePki } from "./pki.ts";

const run = promisify(execFile);
const KUBECTL = "/usr/bin/kubectl";
const CA = "-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "stella-kubeconfig-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const spec = { server: "https://127.0.0.1:7443", caCertPem: CA, token: "tok.en.value", user: "admin", context: "stella" };

test("a written kubeconfig reads back and is private to its owner", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "admin.kubeconfig");
    await writeKubeconfig(path, { ...spec, namespace: "shop" });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readKubeconfig(path), {
      context: "stella",
      server: "https://127.0.0.1:7443",
      caCertPem: CA,
      token: "tok.en.value",
      namespace: "shop",
      insecureSkipTlsVerify: false,
    });
    await writeKubeconfig(path, spec);
    assert.equal((await readKubeconfig(path)).namespace, "default");
  });
});

test("kubectl parses the written kubeconfig", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "admin.kubeconfig");
    await writeKubeconfig(path, { ...spec, namespace: "shop" });
    const { stdout } = await run(KUBECTL, ["config", "view", "--kubeconfig", path, "--raw", "-o", "json"]);
    const view = JSON.parse(stdout);
    assert.equal(view["current-context"], "stella");
    assert.equal(view.clusters[0].cluster.server, spec.server);
    assert.equal(Buffer.from(view.clusters[0].cluster["certificate-authority-data"], "base64").toString(), CA);
    assert.equal(view.users[0].user.token, spec.token);
    assert.deepEqual(view.contexts[0].context, { cluster: "stella", user: "admin", namespace: "shop" });
  });
});

test("kubectl reaches an HTTPS server with the generated CA and presents the token", async () => {
  await withDir(async (dir) => {
    const pki = await ensurePki(dir, { hosts: [] });
    let seenAuthorization: string | undefined;
    const server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
      seenAuthorization = req.headers.authorization;
      res.end("ok");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      for (const host of ["127.0.0.1", "localhost"]) {
        const path = join(dir, `${host}.kubeconfig`);
        await writeKubeconfig(path, { ...spec, server: `https://${host}:${port}`, caCertPem: pki.caCertPem });
        const { stdout } = await run(KUBECTL, ["--kubeconfig", path, "get", "--raw", "/healthz"]);
        assert.equal(stdout.trim(), "ok");
        assert.equal(seenAuthorization, `Bearer ${spec.token}`);
      }
      const untrusted = join(dir, "untrusted.kubeconfig");
      await writeKubeconfig(untrusted, { ...spec, server: `https://127.0.0.1:${port}`, caCertPem: (await otherCa()).caCertPem });
      await assert.rejects(run(KUBECTL, ["--kubeconfig", untrusted, "get", "--raw", "/healthz"]), /certificate signed by unknown authority/);
    } finally {
      server.close();
    }
  });
});

async function otherCa() {
  const dir = await mkdtemp(join(tmpdir(), "stella-other-ca-"));
  try {
    return await ensurePki(dir, { hosts: [] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("kubeconfigs written by others: file references, other contexts, extra fields", async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, "ca.crt"), CA);
    await writeFile(join(dir, "token"), "from-file\n");
    const path = join(dir, "config");
    await writeFile(path, [
      "apiVersion: v1",
      "kind: Config",
      "current-context: a",
      "preferences: {}",
      "clusters:",
      "- name: c",
      "  cluster: {server: 'https://h:1', certificate-authority: ca.crt, extensions: []}",
      "users:",
      "- name: u",
      "  user: {tokenFile: token}",
      "- name: nobody",
      "  user: null",
      "contexts:",
      "- {name: a, context: {cluster: c, user: u}}",
      "- {name: b, context: {cluster: c, user: nobody, namespace: ops}}",
    ].join("\n"));
    assert.deepEqual(await readKubeconfig(path), {
      context: "a", server: "https://h:1", caCertPem: CA, token: "from-file", namespace: "default", insecureSkipTlsVerify: false,
    });
    const b = await readKubeconfig(path, "b");
    assert.equal(b.token, undefined);
    assert.equal(b.namespace, "ops");
  });
});

test("a missing or broken kubeconfig is a typed error naming the field", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "config");
    await assert.rejects(readKubeconfig(path), (err: unknown) => err instanceof KubeconfigNotFoundError && err.path === path);
    const invalid = async (text: string, field: string, context?: string) => {
      await writeFile(path, text);
      await assert.rejects(readKubeconfig(path, context), (err: unknown) => {
        assert.ok(err instanceof KubeconfigInvalidError, String(err));
        assert.equal(err.field, field);
        assert.equal(err.path, path);
        return true;
      });
    };
    await invalid("clusters: [\n  {name: c", "");
    await invalid("", "current-context");
    await invalid("current-context: x\ncontexts: []", "current-context");
    await invalid("current-context: x\ncontexts: []", "contexts", "y");
    await invalid("current-context: x\ncontexts: [{name: x, context: {cluster: c}}]", 'contexts[name="x"].context.cluster');
    await invalid("clusters: [{name: c, cluster: {server: 7}}]", "clusters[0].cluster.server");
    await invalid(
      "current-context: x\nclusters: [{name: c, cluster: {server: s, certificate-authority: nope.crt}}]\ncontexts: [{name: x, context: {cluster: c}}]",
      'clusters[name="c"].cluster.certificate-authority',
    );
  });
});
