// The kubeconfig the server writes reads back through the SDK's loader (the one stella and every
// controller use) exactly as written. The server only writes kubeconfigs; the SDK reads them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeKubeconfig } from "../../apiserver/auth/kubeconfig.ts";
import { loadClientConfig } from "../../sdk/client-config.ts";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n";
const spec = {
  server: "https://127.0.0.1:7443",
  caCertPem: CA,
  token: "tok.en.value",
  user: "admin",
  context: "stella",
};

test("a written kubeconfig reads back through the SDK", async () => {
  const dir = await mkdtemp(join(tmpdir(), "stella-kubeconfig-"));
  try {
    const path = join(dir, "admin.kubeconfig");
    await writeKubeconfig(path, { ...spec, namespace: "shop" });
    const read = await loadClientConfig({ path });
    assert.equal(read.context, "stella");
    assert.equal(read.server, "https://127.0.0.1:7443");
    assert.equal(read.caCertPem, CA);
    assert.equal(read.token, "tok.en.value");
    assert.equal(read.namespace, "shop");
    assert.ok(!read.insecureSkipTlsVerify);
    await writeKubeconfig(path, spec);
    assert.equal((await loadClientConfig({ path })).namespace ?? "default", "default");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
