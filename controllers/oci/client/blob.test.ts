import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { RegistryClient } from "./client.ts";
import { ManifestNotFound, RegistryError } from "./errors.ts";
import { FakeRegistry } from "../testing/registry.ts";

describe("RegistryClient.getBlob", () => {
  let fake: FakeRegistry;
  let storage: FakeRegistry;
  let digest: string;
  const client = new RegistryClient({ timeoutMs: 2000 });
  const credentials = { username: "stella", password: "blob-pass" };

  before(async () => {
    fake = await FakeRegistry.start();
    storage = await FakeRegistry.start();
    digest = fake.putBlob("shop/web", "payload bytes");
    storage.putBlob("shop/web", "payload bytes");
  });
  after(async () => {
    await fake.close();
    await storage.close();
  });
  beforeEach(() => {
    fake.options = {};
    storage.requests.length = 0;
  });

  it("returns the blob once its bytes match the digest", async () => {
    assert.equal((await client.getBlob(`${fake.host}/shop/web`, digest)).toString(), "payload bytes");
  });

  it("refuses a body whose digest differs, and reports a missing blob as not found", async () => {
    fake.options = { blobBody: "other bytes" };
    await assert.rejects(client.getBlob(`${fake.host}/shop/web`, digest), RegistryError);
    fake.options = {};
    await assert.rejects(client.getBlob(`${fake.host}/shop/web`, `sha256:${"0".repeat(64)}`), ManifestNotFound);
  });

  it("follows a redirect to storage elsewhere without sending the registry credentials there", async () => {
    fake.options = { auth: { kind: "basic", ...credentials }, blobRedirect: `http://${storage.host}` };
    assert.equal((await client.getBlob(`${fake.host}/shop/web`, digest, { credentials })).toString(), "payload bytes");
    assert.equal(storage.requests.length, 1);
    assert.equal(storage.requests[0].authorization, undefined);
  });
});
