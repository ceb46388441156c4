import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidReference } from "./errors.ts";
import { isLoopback, manifestUrl, parseReference, registryBaseUrl } from "./reference.ts";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("parseReference", () => {
  it("splits a local registry reference with a tag", () => {
    assert.deepEqual(parseReference("127.0.0.1:5000/shop/web:1.4.0"), {
      registry: "127.0.0.1:5000",
      repository: "shop/web",
      name: "127.0.0.1:5000/shop/web",
      tag: "1.4.0",
      reference: "1.4.0",
    });
  });

  it("asks for the digest when a reference has both tag and digest", () => {
    const ref = parseReference(`ghcr.io/acme/api:2.0@${DIGEST}`);
    assert.equal(ref.registry, "ghcr.io");
    assert.equal(ref.repository, "acme/api");
    assert.equal(ref.tag, "2.0");
    assert.equal(ref.reference, DIGEST);
  });

  it("normalizes Docker Hub names like docker does", () => {
    assert.equal(parseReference("busybox").repository, "library/busybox");
    assert.equal(parseReference("busybox").registry, "docker.io");
    assert.equal(parseReference("busybox").reference, "latest");
    assert.equal(parseReference("acme/tool:1").repository, "acme/tool");
    assert.equal(parseReference("docker.io/busybox:1").repository, "library/busybox");
  });

  it("treats localhost and bracketed IPv6 as registry hosts", () => {
    assert.equal(parseReference("localhost/x:1").registry, "localhost");
    assert.equal(parseReference("localhost:5000/x").registry, "localhost:5000");
    assert.equal(parseReference("[::1]:5000/team/x:1").registry, "[::1]:5000");
    assert.equal(parseReference("[::1]:5000/team/x:1").repository, "team/x");
  });

  it("rejects malformed references without contacting anything", () => {
    for (const bad of ["", "Shop/Web:1", "a/b:", "a/b@sha256:abc", "a//b"]) {
      assert.throws(() => parseReference(bad), InvalidReference, bad);
    }
  });
});

describe("registry URLs", () => {
  it("uses http only for loopback registries", () => {
    assert.equal(registryBaseUrl("127.0.0.1:5000").href, "http://127.0.0.1:5000/");
    assert.equal(registryBaseUrl("localhost:5000").protocol, "http:");
    assert.equal(registryBaseUrl("[::1]:5000").protocol, "http:");
    assert.equal(registryBaseUrl("127.0.0.2:5000").protocol, "http:");
    assert.equal(registryBaseUrl("ghcr.io").href, "https://ghcr.io/");
    assert.equal(registryBaseUrl("10.0.0.1:5000").protocol, "https:");
    assert.equal(registryBaseUrl("docker.io").href, "https://registry-1.docker.io/");
  });

  it("recognizes loopback hosts", () => {
    assert.equal(isLoopback("127.1.2.3"), true);
    assert.equal(isLoopback("localhost:80"), true);
    assert.equal(isLoopback("127.example.com"), false);
    assert.equal(isLoopback("128.0.0.1"), false);
  });

  it("addresses the manifest endpoint by tag or digest", () => {
    assert.equal(
      manifestUrl(parseReference("127.0.0.1:5000/shop/web:1.4.0")).href,
      "http://127.0.0.1:5000/v2/shop/web/manifests/1.4.0",
    );
    assert.equal(
      manifestUrl(parseReference(`ghcr.io/a/b@${DIGEST}`)).href,
      `https://ghcr.io/v2/a/b/manifests/${DIGEST}`,
    );
  });
});
