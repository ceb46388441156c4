import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { RegistryClient } from "./client.ts";
import { Unauthorized } from "./errors.ts";
import { FakeRegistry } from "../testing/registry.ts";
import { DOCKER_MANIFEST } from "./media-types.ts";

const manifest = { schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: {}, layers: [] };
const good = { username: "stella", password: "stella-test" };
const bad = { username: "stella", password: "wrong" };

describe("RegistryClient with basic auth", () => {
  let fake: FakeRegistry;
  let digest: string;
  before(async () => {
    fake = await FakeRegistry.start({ auth: { kind: "basic", ...good } });
    digest = fake.putManifest("shop/web", ["1.4.0"], manifest, DOCKER_MANIFEST);
  });
  after(() => fake.close());

  it("answers the Basic challenge with the credentials", async () => {
    const resolved = await new RegistryClient().resolve(`${fake.host}/shop/web:1.4.0`, { credentials: good });
    assert.equal(resolved.digest, digest);
  });

  it("sends the remembered header first on later requests", async () => {
    const client = new RegistryClient();
    await client.resolve(`${fake.host}/shop/web:1.4.0`, { credentials: good });
    fake.requests.length = 0;
    await client.resolve(`${fake.host}/shop/web:1.4.0`, { credentials: good });
    assert.equal(fake.requests.length, 1);
    assert.match(fake.requests[0].authorization ?? "", /^Basic /);
  });

  it("is Unauthorized with a wrong password, never echoing it", async () => {
    await assert.rejects(new RegistryClient().resolve(`${fake.host}/shop/web:1.4.0`, { credentials: bad }), (err) => {
      assert.ok(err instanceof Unauthorized, String(err));
      assert.equal(err.repository, "shop/web");
      assert.ok(!err.message.includes("wrong"));
      return true;
    });
  });

  it("is Unauthorized without credentials", async () => {
    await assert.rejects(new RegistryClient().resolve(`${fake.host}/shop/web:1.4.0`), Unauthorized);
  });
});

describe("RegistryClient with the bearer-token flow", () => {
  let fake: FakeRegistry;
  let digest: string;
  before(async () => {
    fake = await FakeRegistry.start();
    digest = fake.putManifest("shop/web", ["1.4.0"], manifest, DOCKER_MANIFEST);
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.options = { auth: { kind: "bearer", ...good } };
    fake.requests.length = 0;
    fake.tokenRequests.length = 0;
  });

  it("fetches a pull token for the repository with basic credentials, then retries with it", async () => {
    const resolved = await new RegistryClient().resolve(`${fake.host}/shop/web:1.4.0`, { credentials: good });
    assert.equal(resolved.digest, digest);
    assert.equal(fake.tokenRequests.length, 1);
    assert.equal(fake.tokenRequests[0].scope, "repository:shop/web:pull");
    assert.equal(fake.tokenRequests[0].service, "fake-registry");
    assert.match(fake.tokenRequests[0].authorization ?? "", /^Basic /);
    assert.deepEqual(
      fake.requests.map((r) => r.authorization?.split(" ")[0]),
      [undefined, "Bearer"],
    );
  });

  it("reuses the token until it expires", async () => {
    const client = new RegistryClient();
    await client.resolve(`${fake.host}/shop/web:1.4.0`, { credentials: good });
    await client.resolve(`${fake.host}/shop/web:1.4.0`, { credentials: good });
    assert.equal(fake.tokenRequests.length, 1);
    assert.equal(fake.requests.length, 3);
  });

  it("gets a new token when the registry refuses the remembered one", async () => {
    const client = new RegistryClient();
    await client.resolve(`${fake.host}/shop/web:1.4.0`, { credentials: good });
    fake.revokeTokens();
    assert.equal((await client.resolve(`${fake.host}/shop/web:1.4.0`, { credentials: good })).digest, digest);
    assert.equal(fake.tokenRequests.length, 2);
  });

  it("is Unauthorized when the token server refuses the credentials", async () => {
    await assert.rejects(new RegistryClient().resolve(`${fake.host}/shop/web:1.4.0`, { credentials: bad }), (err) => {
      assert.ok(err instanceof Unauthorized, String(err));
      assert.match(err.message, /token server/);
      return true;
    });
  });

  it("fetches an anonymous token when the token server needs no credentials", async () => {
    fake.options = { auth: { kind: "bearer" } };
    assert.equal((await new RegistryClient().resolve(`${fake.host}/shop/web:1.4.0`)).digest, digest);
    assert.equal(fake.tokenRequests[0].authorization, undefined);
  });
});
