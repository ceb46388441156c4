import { test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import type { JWTPayload } from "jose";
import { AuthenticationError, KeyMaterialError, TokenRequestError } from "./errors.ts";
import type { AuthenticationFailure } from "./errors.ts";
import { SIGNING_KEY_FILES } from "./signing-key.ts";
import { TokenIssuer } from "./tokens.ts";

async function withDataDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "stella-tokens-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function signingKey(dir: string): Promise<KeyObject> {
  return createPrivateKey(await readFile(join(dir, SIGNING_KEY_FILES.privateKey), "utf8"));
}

/** A token signed with the data directory's own key but with claims of the test's choosing. */
async function handMade(dir: string, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "EdDSA" }).sign(await signingKey(dir));
}

const now = () => Math.floor(Date.now() / 1000);
const good = (): JWTPayload => ({
  iss: "stella",
  aud: "stella",
  sub: "alice",
  jti: "j1",
  iat: now(),
  exp: now() + 600,
});

async function assertRefused(
  issuer: TokenIssuer,
  token: string,
  reason: AuthenticationFailure,
  message?: string,
): Promise<void> {
  await assert.rejects(issuer.verify(token), (err: unknown) => {
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.equal(err.reason, reason);
    if (message !== undefined) assert.equal(err.message, message);
    if (token.length > 8) assert.ok(!err.message.includes(token.slice(0, 8)), "message must not echo the token");
    return true;
  });
}

test("an issued token verifies to its principal", async () => {
  await withDataDir(async (dir) => {
    const issuer = await TokenIssuer.open(dir);
    const grants = [
      { namespace: "shop", role: "operator" as const },
      { namespace: "shop", role: "agent" as const, resourceNames: { targets: ["web-1"] } },
    ];
    const before = now();
    const token = await issuer.issue({ subject: "alice", groups: ["devs"], grants, ttlSeconds: 3600 });
    const who = await issuer.verify(token);
    assert.equal(who.user, "alice");
    assert.deepEqual(who.groups, ["devs"]);
    assert.deepEqual(who.grants, grants);
    const exp = (who.expiresAt?.getTime() ?? 0) / 1000;
    assert.ok(exp >= before + 3600 && exp <= now() + 3600);
    const other = await issuer.verify(await issuer.issue({ subject: "alice" }));
    assert.notEqual(other.tokenId, who.tokenId);
    assert.deepEqual(other.grants, []);
  });
});

test("the key is created once, private key 0600, and reused so old tokens stay valid", async () => {
  await withDataDir(async (dir) => {
    const first = await TokenIssuer.open(dir);
    const token = await first.issue({ subject: "admin", grants: [{ namespace: "*", role: "admin" }] });
    assert.equal((await stat(join(dir, SIGNING_KEY_FILES.privateKey))).mode & 0o777, 0o600);
    assert.match(await readFile(join(dir, SIGNING_KEY_FILES.publicKey), "utf8"), /BEGIN PUBLIC KEY/);
    const second = await TokenIssuer.open(dir);
    assert.equal(second.keyId, first.keyId);
    assert.equal((await second.verify(token)).user, "admin");
  });
});

test("a token signed by another key is refused as a forgery, also when its claims were edited", async () => {
  await withDataDir(async (dir) => {
    await withDataDir(async (otherDir) => {
      const issuer = await TokenIssuer.open(dir);
      const forger = await TokenIssuer.open(otherDir);
      await assertRefused(
        issuer,
        await forger.issue({ subject: "mallory" }),
        "SignatureInvalid",
        "token signature invalid",
      );
      const [header, , signature] = (await issuer.issue({ subject: "bob" })).split(".");
      const escalated = Buffer.from(
        JSON.stringify({ ...good(), sub: "bob", grants: [{ namespace: "*", role: "admin" }] }),
      ).toString("base64url");
      await assertRefused(issuer, `${header}.${escalated}.${signature}`, "SignatureInvalid");
    });
  });
});

test("an expired token is refused naming when it expired", async () => {
  await withDataDir(async (dir) => {
    const past = new Date("2024-03-01T10:00:00Z");
    const then = await TokenIssuer.open(dir, { now: () => past });
    const token = await then.issue({ subject: "alice", ttlSeconds: 60 });
    assert.equal((await then.verify(token)).user, "alice");
    const today = await TokenIssuer.open(dir);
    await assertRefused(today, token, "Expired", "token expired at 2024-03-01T10:01:00.000Z");
    await assert.rejects(
      today.verify(token),
      (err: AuthenticationError) => err.expiredAt?.toISOString() === "2024-03-01T10:01:00.000Z",
    );
  });
});

test("a token verified once (and remembered) is still refused once it has expired", async () => {
  await withDataDir(async (dir) => {
    let clock = new Date("2024-03-01T10:00:00Z");
    const issuer = await TokenIssuer.open(dir, { now: () => clock });
    const token = await issuer.issue({ subject: "alice", ttlSeconds: 60 });
    assert.equal((await issuer.verify(token)).user, "alice");
    assert.equal((await issuer.verify(token)).user, "alice");
    clock = new Date("2024-03-01T10:01:00Z");
    await assertRefused(issuer, token, "Expired", "token expired at 2024-03-01T10:01:00.000Z");
  });
});

test("wrong audience or issuer, and missing required claims, are refused", async () => {
  await withDataDir(async (dir) => {
    const issuer = await TokenIssuer.open(dir);
    await assertRefused(
      issuer,
      await handMade(dir, { ...good(), aud: "kubernetes" }),
      "ClaimInvalid",
      'token claim "aud" is not accepted',
    );
    await assertRefused(
      issuer,
      await handMade(dir, { ...good(), iss: "someone-else" }),
      "ClaimInvalid",
      'token claim "iss" is not accepted',
    );
    await assertRefused(
      issuer,
      await handMade(dir, { ...good(), exp: undefined }),
      "ClaimInvalid",
      'token claim "exp" is missing',
    );
    await assertRefused(
      issuer,
      await handMade(dir, { ...good(), jti: undefined }),
      "ClaimInvalid",
      'token claim "jti" is missing',
    );
    await assertRefused(
      issuer,
      await handMade(dir, { ...good(), nbf: now() + 3600 }),
      "ClaimInvalid",
      'token claim "nbf" is in the future',
    );
  });
});

test("grants of the wrong shape are refused even when correctly signed", async () => {
  await withDataDir(async (dir) => {
    const issuer = await TokenIssuer.open(dir);
    const bad = await handMade(dir, { ...good(), grants: [{ namespace: "shop", role: "superuser" }] });
    await assertRefused(issuer, bad, "Malformed", 'token claim "grants.0.role" has the wrong shape');
    await assertRefused(issuer, await handMade(dir, { ...good(), groups: "admins" }), "Malformed");
  });
});

test("malformed tokens, alg none and other algorithms are refused", async () => {
  await withDataDir(async (dir) => {
    const issuer = await TokenIssuer.open(dir);
    await assertRefused(issuer, "", "Missing");
    await assertRefused(issuer, "not-a-jwt", "Malformed", "token is not a well-formed JWT");
    await assertRefused(issuer, "a.b.c", "Malformed");
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    await assertRefused(issuer, `${b64({ alg: "none", typ: "JWT" })}.${b64(good())}.`, "SignatureInvalid");
    // HS256 keyed with the public key: the classic algorithm-confusion forgery.
    const pub = await readFile(join(dir, SIGNING_KEY_FILES.publicKey));
    const hs = await new SignJWT(good()).setProtectedHeader({ alg: "HS256" }).sign(new Uint8Array(pub));
    await assertRefused(issuer, hs, "SignatureInvalid", "token signature invalid: only EdDSA is accepted");
  });
});

test("issue rejects an empty subject, a bad TTL and an unknown role", async () => {
  await withDataDir(async (dir) => {
    const issuer = await TokenIssuer.open(dir);
    const field = (f: string) => (err: unknown) => err instanceof TokenRequestError && err.field === f;
    await assert.rejects(issuer.issue({ subject: " " }), field("subject"));
    await assert.rejects(issuer.issue({ subject: "a", ttlSeconds: 0 }), field("ttlSeconds"));
    await assert.rejects(issuer.issue({ subject: "a", ttlSeconds: 1.5 }), field("ttlSeconds"));
    const role = "root" as unknown as "admin";
    await assert.rejects(issuer.issue({ subject: "a", grants: [{ namespace: "x", role }] }), field("grants[0].role"));
  });
});

test("a public key without its private key is an error, not a silent new key", async () => {
  await withDataDir(async (dir) => {
    await TokenIssuer.open(dir);
    await rm(join(dir, SIGNING_KEY_FILES.privateKey));
    await assert.rejects(
      TokenIssuer.open(dir),
      (err: unknown) => err instanceof KeyMaterialError && err.path === join(dir, SIGNING_KEY_FILES.privateKey),
    );
  });
});
