import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseChallenges } from "./challenge.ts";

describe("parseChallenges", () => {
  it("reads a bearer challenge whose quoted scope contains a comma", () => {
    const header =
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"';
    assert.deepEqual(parseChallenges(header), [
      {
        scheme: "bearer",
        params: { realm: "https://auth.example/token", service: "registry.example", scope: "repository:a/b:pull,push" },
      },
    ]);
  });

  it("reads several challenges in one header and across headers", () => {
    const parsed = parseChallenges(['Basic realm="r1", Bearer realm="https://t/x",service=svc', "Basic realm=plain"]);
    assert.deepEqual(
      parsed.map((c) => [c.scheme, c.params]),
      [
        ["basic", { realm: "r1" }],
        ["bearer", { realm: "https://t/x", service: "svc" }],
        ["basic", { realm: "plain" }],
      ],
    );
  });

  it("unescapes quoted values and lowercases names", () => {
    assert.deepEqual(parseChallenges('BASIC Realm="say \\"hi\\""'), [
      { scheme: "basic", params: { realm: 'say "hi"' } },
    ]);
  });

  it("gives nothing for an absent or empty header", () => {
    assert.deepEqual(parseChallenges(undefined), []);
    assert.deepEqual(parseChallenges(""), []);
  });
});
