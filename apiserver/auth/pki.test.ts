import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtemp, readFile, rm, stat, copyFile } from "node:fs/promises";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { checkServerIdentity } from "node:tls";
import { KeyMaterialError } from "./errors.ts";
import { PKI_FILES, altNamesFor, ensurePki } from "./pki.ts";
import type { Pki } from "./pki.ts";

async function withDataDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "stella-pki-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * GETs https://127.0.0.1:port/ checking the certificate against `name` (sent as SNI unless it is
 * the IP itself); resolves the body or rejects with the TLS error.
 */
function get(port: number, name: string, ca?: string): Promise<string> {
  const servername = name === "127.0.0.1" ? undefined : name;
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, servername, path: "/", ca, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

async function withServer(pki: Pki, fn: (port: number) => Promise<void>): Promise<void> {
  const server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (_req, res) => res.end("ok"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.close();
  }
}

test("a client trusting only ca.crt reaches the server on 127.0.0.1 and localhost; others are refused", async () => {
  await withDataDir(async (dir) => {
    const pki = await ensurePki(dir, { hosts: [] });
    const caOnDisk = await readFile(join(dir, PKI_FILES.caCert), "utf8");
    assert.equal(caOnDisk, pki.caCertPem);
    await withServer(pki, async (port) => {
      assert.equal(await get(port, "127.0.0.1", caOnDisk), "ok");
      assert.equal(await get(port, "localhost", caOnDisk), "ok");
      await assert.rejects(get(port, "localhost"), { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
      await assert.rejects(get(port, "example.com", caOnDisk), { code: "ERR_TLS_CERT_ALTNAME_INVALID" });
      const otherCa = await withFreshPki();
      await assert.rejects(get(port, "localhost", otherCa), { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
    });
  });
});

async function withFreshPki(): Promise<string> {
  let ca = "";
  await withDataDir(async (dir) => {
    ca = (await ensurePki(dir, { hosts: [] })).caCertPem;
  });
  return ca;
}

test("the server certificate names localhost, 127.0.0.1, ::1 and the extra hosts", async () => {
  await withDataDir(async (dir) => {
    const pki = await ensurePki(dir, { hosts: ["stella.example", "10.1.2.3", "0.0.0.0", "[fd00::7]"] });
    const cert = new X509Certificate(pki.serverCertPem);
    for (const host of ["localhost", "127.0.0.1", "::1", "stella.example", "10.1.2.3", "fd00::7"]) {
      assert.equal(checkServerIdentity(host, cert.toLegacyObject()), undefined, host);
    }
    assert.ok(checkServerIdentity("0.0.0.0", cert.toLegacyObject()) instanceof Error);
    assert.equal(cert.checkIssued(new X509Certificate(pki.caCertPem)), true);
    assert.equal(new X509Certificate(pki.caCertPem).ca, true);
    assert.equal(cert.ca, false);
  });
});

test("private keys are written with mode 0600", async () => {
  await withDataDir(async (dir) => {
    await ensurePki(dir, { hosts: [] });
    assert.equal((await stat(join(dir, PKI_FILES.caKey))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, PKI_FILES.serverKey))).mode & 0o777, 0o600);
  });
});

test("a later start reuses every file; new hosts reissue only the server certificate", async () => {
  await withDataDir(async (dir) => {
    const first = await ensurePki(dir, { hosts: ["a.example"] });
    assert.deepEqual(await ensurePki(dir, { hosts: ["A.example"] }), first);
    const widened = await ensurePki(dir, { hosts: ["a.example", "127.0.0.9"] });
    assert.equal(widened.caCertPem, first.caCertPem);
    assert.notEqual(widened.serverCertPem, first.serverCertPem);
    assert.notEqual(widened.serverKeyPem, first.serverKeyPem);
    assert.equal(
      checkServerIdentity("127.0.0.9", new X509Certificate(widened.serverCertPem).toLegacyObject()),
      undefined,
    );
  });
});

test("a server certificate expiring within 30 days is reissued", async () => {
  await withDataDir(async (dir) => {
    const longAgo = new Date(Date.now() - 340 * 24 * 3600 * 1000);
    const old = await ensurePki(dir, { hosts: [], now: longAgo });
    const renewed = await ensurePki(dir, { hosts: [] });
    assert.equal(renewed.caCertPem, old.caCertPem);
    assert.notEqual(renewed.serverCertPem, old.serverCertPem);
    assert.ok(
      new Date(new X509Certificate(renewed.serverCertPem).validTo).getTime() > Date.now() + 300 * 24 * 3600 * 1000,
    );
  });
});

test("a server certificate from another CA is replaced by one from this CA", async () => {
  await withDataDir(async (dir) => {
    await withDataDir(async (other) => {
      const mine = await ensurePki(dir, { hosts: [] });
      await ensurePki(other, { hosts: [] });
      await copyFile(join(other, PKI_FILES.serverCert), join(dir, PKI_FILES.serverCert));
      await copyFile(join(other, PKI_FILES.serverKey), join(dir, PKI_FILES.serverKey));
      const again = await ensurePki(dir, { hosts: [] });
      assert.equal(again.caCertPem, mine.caCertPem);
      assert.equal(new X509Certificate(again.serverCertPem).checkIssued(new X509Certificate(mine.caCertPem)), true);
    });
  });
});

test("a CA with its key missing is an error naming the file, never silently replaced", async () => {
  await withDataDir(async (dir) => {
    await ensurePki(dir, { hosts: [] });
    await rm(join(dir, PKI_FILES.caKey));
    await assert.rejects(ensurePki(dir, { hosts: [] }), (err: unknown) => {
      assert.ok(err instanceof KeyMaterialError);
      assert.equal(err.path, join(dir, PKI_FILES.caKey));
      return true;
    });
  });
});

test("altNamesFor sorts hosts into DNS names and canonical IPs and drops unspecified addresses", () => {
  assert.deepEqual(altNamesFor(["Example.COM", "0:0:0:0:0:0:0:1", "::", "0.0.0.0", " ", "192.0.2.1"]), {
    dnsNames: ["example.com", "localhost"],
    ips: ["127.0.0.1", "192.0.2.1", "::1"],
  });
});
