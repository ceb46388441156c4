import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { writeKubeconfig } from "./kubeconfig.ts";
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

const spec = {
  server: "https://127.0.0.1:7443",
  caCertPem: CA,
  token: "tok.en.value",
  user: "admin",
  context: "stella",
};

test("a written kubeconfig is private to its owner", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "admin.kubeconfig");
    await writeKubeconfig(path, { ...spec, namespace: "shop" });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
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
      await writeKubeconfig(untrusted, {
        ...spec,
        server: `https://127.0.0.1:${port}`,
        caCertPem: (await otherCa()).caCertPem,
      });
      await assert.rejects(
        run(KUBECTL, ["--kubeconfig", untrusted, "get", "--raw", "/healthz"]),
        /certificate signed by unknown authority/,
      );
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
