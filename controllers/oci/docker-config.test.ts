import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeRegistry, parseDockerConfig } from "./docker-config.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("docker config", () => {
  it("reads username/password and auth entries, keyed by registry host", () => {
    const logins = parseDockerConfig(
      JSON.stringify({
        auths: {
          "127.0.0.1:5001": { username: "u1", password: "p1" },
          "https://index.docker.io/v1/": { auth: b64("u2:p:2") },
        },
      }),
    );
    assert.deepEqual(logins, [
      { registry: "127.0.0.1:5001", credentials: { username: "u1", password: "p1" } },
      { registry: "docker.io", credentials: { username: "u2", password: "p:2" } },
    ]);
  });

  it("normalizes keys written as URLs or Docker Hub aliases", () => {
    assert.equal(normalizeRegistry("http://Registry.Example:5000/v2/"), "registry.example:5000");
    assert.equal(normalizeRegistry("registry-1.docker.io"), "docker.io");
    assert.equal(normalizeRegistry("ghcr.io"), "ghcr.io");
  });

  it("describes problems without quoting any value", () => {
    const secretish = "s3cr3t-value-4471";
    for (const text of [
      `{"auths": ${secretish}`,
      JSON.stringify({ auths: { r: { auth: b64(secretish) } } }),
      JSON.stringify({ nope: secretish }),
    ]) {
      const out = parseDockerConfig(text);
      assert.ok("problem" in out, text);
      assert.doesNotMatch(out.problem, /4471/);
    }
  });
});
