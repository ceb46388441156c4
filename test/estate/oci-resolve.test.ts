// The OCI client against the real registries of hack/estate.sh: digests agree with what docker
// records, indexes resolve to the index digest, retagging moves a tag but not a pinned digest,
// and each failure maps to its own error. Skipped locally when the estate is down; fails under CI.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  ManifestNotFound,
  OCI_INDEX,
  OCI_MANIFEST,
  RegistryClient,
  RegistryUnreachable,
  Unauthorized,
} from "../../controllers/oci/client/index.ts";
import { AUTH_CREDENTIALS, AUTH_REGISTRY, docker, ESTATE_DIR, estateSkipReason, REGISTRY } from "./estate-env.ts";
import { freePort, REGISTRY_BIN, RegistryProcess } from "./registry-process.ts";

const skip = await estateSkipReason();
const client = new RegistryClient({ timeoutMs: 5000 });

/** The repo digests docker records for a local image, after pulling it. */
async function pulledRepoDigests(ref: string): Promise<string[]> {
  await docker("pull", "-q", ref);
  return JSON.parse(await docker("inspect", "--format", "{{json .RepoDigests}}", ref)) as string[];
}

describe("OCI client against the estate registry", { skip }, () => {
  it("resolves each test image tag to the digest docker records on pull", async () => {
    for (const tag of ["shop/web:1.4.0", "shop/web:1.5.0", "shop/web:1.6.0-broken", "shop/worker:1.4.0"]) {
      const ref = `${REGISTRY}/${tag}`;
      const resolved = await client.resolve(ref);
      assert.equal(resolved.mediaType, DOCKER_MANIFEST, ref);
      // RepoDigests may list other repositories holding the same image; ours must be among them.
      assert.ok((await pulledRepoDigests(ref)).includes(resolved.pinned), `${ref} -> ${resolved.pinned}`);
    }
  });

  it("resolves a multi-platform OCI index to the index digest, as docker does", async () => {
    const ref = `${REGISTRY}/shop/multi:1.0`;
    const resolved = await client.resolve(ref);
    assert.equal(resolved.mediaType, OCI_INDEX);
    const manifest = await client.getManifest(ref);
    assert.equal(manifest.digest, resolved.digest);
    const index = JSON.parse(manifest.body.toString()) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    assert.deepEqual(
      index.manifests.map((m) => m.platform.architecture),
      ["amd64", "arm64"],
    );
    assert.ok(!index.manifests.some((m) => m.digest === resolved.digest));
    assert.ok((await pulledRepoDigests(ref)).includes(resolved.pinned));
    assert.equal((await client.resolve(`${REGISTRY}/shop/multi:1.0-list`)).mediaType, DOCKER_MANIFEST_LIST);
    assert.equal((await client.resolve(`${REGISTRY}/shop/multi:1.0-oci`)).mediaType, OCI_MANIFEST);
  });

  it("follows a retagged image, while the old digest stays resolvable by digest", async () => {
    const moving = `${REGISTRY}/estate-test/retag:moving`;
    await docker("pull", "-q", `${REGISTRY}/shop/web:1.4.0`);
    await docker("pull", "-q", `${REGISTRY}/shop/web:1.5.0`);
    await docker("tag", `${REGISTRY}/shop/web:1.4.0`, moving);
    await docker("push", "-q", moving);
    const first = await client.resolve(moving);
    await docker("tag", `${REGISTRY}/shop/web:1.5.0`, moving);
    await docker("push", "-q", moving);
    const second = await client.resolve(moving);
    assert.notEqual(second.digest, first.digest);
    assert.ok(
      (JSON.parse(await docker("inspect", "--format", "{{json .RepoDigests}}", moving)) as string[]).includes(
        second.pinned,
      ),
    );
    assert.equal((await client.resolve(first.pinned)).digest, first.digest);
  });

  it("reports a missing tag, repository or digest as ManifestNotFound", async () => {
    const missingDigest = `sha256:${"0".repeat(64)}`;
    for (const ref of [
      `${REGISTRY}/shop/web:0.0.0-missing`,
      `${REGISTRY}/shop/no-such-repo:1`,
      `${REGISTRY}/shop/web@${missingDigest}`,
    ]) {
      await assert.rejects(
        client.resolve(ref),
        (err) => err instanceof ManifestNotFound && err.registry === REGISTRY,
        ref,
      );
    }
  });

  it("reports a closed port as RegistryUnreachable", async () => {
    const port = await freePort();
    await assert.rejects(client.resolve(`127.0.0.1:${port}/shop/web:1.4.0`), RegistryUnreachable);
  });

  it("accepts the right basic credentials on the auth registry and refuses wrong or none", async () => {
    const open = await client.resolve(`${REGISTRY}/shop/web:1.4.0`);
    const ref = `${AUTH_REGISTRY}/shop/web:1.4.0`;
    assert.equal((await client.resolve(ref, { credentials: AUTH_CREDENTIALS })).digest, open.digest);
    const wrong = { username: AUTH_CREDENTIALS.username, password: "not-the-password" };
    await assert.rejects(new RegistryClient().resolve(ref, { credentials: wrong }), Unauthorized);
    await assert.rejects(new RegistryClient().resolve(ref), Unauthorized);
  });
});

describe("OCI client when the real registry goes down and comes back", { skip }, () => {
  const storage = path.join(ESTATE_DIR, "registry", "data");
  let registry: RegistryProcess | undefined;
  after(() => registry?.dispose());

  it("is unreachable while stopped and resolves the same digest after a restart", async () => {
    assert.ok(
      existsSync(REGISTRY_BIN) && existsSync(storage),
      `${REGISTRY_BIN} and ${storage} come from hack/estate.sh up`,
    );
    registry = await RegistryProcess.create(storage);
    await registry.start();
    const ref = `${registry.host}/shop/web:1.5.0`;
    const before = await client.resolve(ref);
    assert.equal(before.digest, (await client.resolve(`${REGISTRY}/shop/web:1.5.0`)).digest);
    await registry.stop();
    await assert.rejects(client.resolve(ref), RegistryUnreachable);
    await registry.start();
    assert.equal((await client.resolve(ref)).digest, before.digest);
  });
});
