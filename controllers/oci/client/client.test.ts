import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import net from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { RegistryClient } from "./client.ts";
import { InvalidReference, isTransient, ManifestNotFound, RegistryError, RegistryUnreachable } from "./errors.ts";
import { FakeRegistry } from "../testing/registry.ts";
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, MANIFEST_ACCEPT, OCI_INDEX, OCI_MANIFEST } from "./media-types.ts";

const sha256 = (text: string): string => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const image = {
  schemaVersion: 2,
  mediaType: DOCKER_MANIFEST,
  config: { digest: sha256("config"), size: 6 },
  layers: [],
};
const index = {
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [
    {
      mediaType: DOCKER_MANIFEST,
      digest: sha256(JSON.stringify(image)),
      size: 100,
      platform: { os: "linux", architecture: "amd64" },
    },
  ],
};

describe("RegistryClient.resolve", () => {
  let fake: FakeRegistry;
  let imageDigest: string;
  let indexDigest: string;
  const client = new RegistryClient({ timeoutMs: 2000 });

  before(async () => {
    fake = await FakeRegistry.start();
    imageDigest = fake.putManifest("shop/web", ["1.4.0"], image, DOCKER_MANIFEST);
    indexDigest = fake.putManifest("shop/multi", ["1.0"], index, OCI_INDEX);
    fake.putManifest("shop/multi", ["1.0-list"], { ...index, mediaType: DOCKER_MANIFEST_LIST }, DOCKER_MANIFEST_LIST);
    fake.putManifest("shop/oci", ["1"], { ...image, mediaType: OCI_MANIFEST }, OCI_MANIFEST);
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.options = {};
    fake.requests.length = 0;
  });

  it("resolves a tag with one HEAD that accepts indexes and manifests of both formats", async () => {
    const resolved = await client.resolve(`${fake.host}/shop/web:1.4.0`);
    assert.equal(resolved.digest, imageDigest);
    assert.equal(resolved.mediaType, DOCKER_MANIFEST);
    assert.equal(resolved.pinned, `${fake.host}/shop/web@${imageDigest}`);
    assert.deepEqual(
      fake.requests.map((r) => r.method),
      ["HEAD"],
    );
    assert.equal(fake.requests[0].accept, MANIFEST_ACCEPT);
    for (const type of [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST])
      assert.ok(MANIFEST_ACCEPT.includes(type));
  });

  it("resolves a multi-platform index or list to its own digest, not a platform's", async () => {
    const oci = await client.resolve(`${fake.host}/shop/multi:1.0`);
    assert.equal(oci.digest, indexDigest);
    assert.equal(oci.mediaType, OCI_INDEX);
    assert.notEqual(oci.digest, index.manifests[0].digest);
    const list = await client.resolve(`${fake.host}/shop/multi:1.0-list`);
    assert.equal(list.mediaType, DOCKER_MANIFEST_LIST);
    assert.equal((await client.resolve(`${fake.host}/shop/oci:1`)).mediaType, OCI_MANIFEST);
  });

  it("computes the digest from a GET body when Docker-Content-Digest is missing", async () => {
    fake.options = { omitDigestHeader: true };
    const resolved = await client.resolve(`${fake.host}/shop/web:1.4.0`);
    assert.equal(resolved.digest, sha256(JSON.stringify(image)));
    assert.deepEqual(
      fake.requests.map((r) => r.method),
      ["HEAD", "GET"],
    );
  });

  it("falls back to GET when HEAD is not supported", async () => {
    fake.options = { headStatus: 405 };
    assert.equal((await client.resolve(`${fake.host}/shop/web:1.4.0`)).digest, imageDigest);
    assert.deepEqual(
      fake.requests.map((r) => r.method),
      ["HEAD", "GET"],
    );
  });

  it("checks a pinned digest exists and returns it", async () => {
    const resolved = await client.resolve(`${fake.host}/shop/web@${imageDigest}`);
    assert.equal(resolved.digest, imageDigest);
  });

  it("refuses a body whose sha256 differs from the digest header", async () => {
    fake.options = { headStatus: 405, digestHeader: sha256("something else") };
    await assert.rejects(
      client.resolve(`${fake.host}/shop/web:1.4.0`),
      (err) => err instanceof RegistryError && /does not match/.test(err.message),
    );
  });

  it("refuses schema 1 manifests, whose digests are not stable", async () => {
    const schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    fake.putManifest("shop/old", ["1"], { schemaVersion: 1, name: "shop/old", tag: "1", fsLayers: [] }, schema1);
    await assert.rejects(
      client.resolve(`${fake.host}/shop/old:1`),
      (err) => err instanceof RegistryError && err.message.includes(schema1),
    );
  });

  it("maps a missing tag, digest or repository to ManifestNotFound naming registry, repository and reference", async () => {
    for (const [ref, reference, repository] of [
      [`${fake.host}/shop/web:9.9.9`, "9.9.9", "shop/web"],
      [`${fake.host}/shop/web@${sha256("nothing")}`, sha256("nothing"), "shop/web"],
      [`${fake.host}/shop/nope:1`, "1", "shop/nope"],
    ]) {
      await assert.rejects(client.resolve(ref), (err) => {
        assert.ok(err instanceof ManifestNotFound, String(err));
        assert.equal(err.registry, fake.host);
        assert.equal(err.repository, repository);
        assert.equal(err.reference, reference);
        assert.ok(
          err.message.includes(fake.host) && err.message.includes(repository) && err.message.includes(reference),
        );
        assert.equal(isTransient(err), false);
        return true;
      });
    }
  });

  it("maps other HTTP errors to RegistryError, transient only for 5xx and 429", async () => {
    for (const [status, transient] of [
      [500, true],
      [503, true],
      [429, true],
      [400, false],
    ] as const) {
      fake.options = { failStatus: status };
      await assert.rejects(client.resolve(`${fake.host}/shop/web:1.4.0`), (err) => {
        assert.ok(err instanceof RegistryError);
        assert.equal(err.status, status);
        assert.equal(isTransient(err), transient);
        return true;
      });
    }
  });

  it("rejects an invalid reference before any request", async () => {
    await assert.rejects(client.resolve("Not A Reference"), InvalidReference);
    assert.equal(fake.requests.length, 0);
  });

  it("returns the manifest body with its verified digest", async () => {
    const manifest = await client.getManifest(`${fake.host}/shop/multi:1.0`);
    assert.equal(manifest.digest, indexDigest);
    assert.deepEqual(JSON.parse(manifest.body.toString()), index);
  });
});

describe("RegistryClient when the registry is unreachable", () => {
  it("maps a refused connection to RegistryUnreachable (transient)", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const pending = new RegistryClient().resolve(`127.0.0.1:${port}/shop/web:1.4.0`);
    await assert.rejects(pending, (err) => {
      assert.ok(err instanceof RegistryUnreachable, String(err));
      assert.equal(err.transient, true);
      assert.equal(err.registry, `127.0.0.1:${port}`);
      assert.match(err.message, /ECONNREFUSED/);
      return true;
    });
  });

  it("maps a registry that never answers to RegistryUnreachable after the timeout", async () => {
    const fake = await FakeRegistry.start({ hang: true });
    try {
      await assert.rejects(
        new RegistryClient({ timeoutMs: 200 }).resolve(`${fake.host}/shop/web:1.4.0`),
        RegistryUnreachable,
      );
    } finally {
      await fake.close();
    }
  });
});
