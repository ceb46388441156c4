// Bearer tokens: EdDSA-signed JWTs (iss and aud "stella", sub, jti, iat, exp) carrying the
// principal's groups and grants as the private claims `groups` and `grants`. Every token expires.
// Neither errors nor anything else here ever includes a token's text.

import { randomUUID } from "node:crypto";
import { SignJWT, calculateJwkThumbprint, errors, exportJWK, jwtVerify } from "jose";
import { z } from "zod";
import { AuthenticationError, TokenRequestError } from "./errors.ts";
import { agentBinding, grantsSchema, type AgentBinding, type Grant, type Principal } from "./principal.ts";
import { ROLES, isRole } from "./roles.ts";
import { ensureSigningKey } from "./signing-key.ts";
import type { SigningKey } from "./signing-key.ts";

/** The `iss` and `aud` of every Stella token. */
export const TOKEN_ISSUER = "stella";
/** Lifetime of a token when the request names none: one day. */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** Lifetime of the admin token written to admin.kubeconfig: one year. */
export const ADMIN_TOKEN_TTL_SECONDS = 365 * 24 * 60 * 60;
const ALGORITHM = "EdDSA";

/** What a token is for. */
export interface TokenRequest {
  subject: string;
  groups?: string[];
  grants?: Grant[];
  /** Positive whole seconds; DEFAULT_TOKEN_TTL_SECONDS when absent. */
  ttlSeconds?: number;
  /** Binds the token to an enrolled Agent (credentials) or to one not yet enrolled (bootstrap). */
  agent?: AgentBinding;
  /** The `aud` claim; TOKEN_ISSUER (an API bearer token) when absent. */
  audience?: string;
}

/** Options of TokenIssuer.open. */
export interface TokenIssuerOptions {
  /** The clock for `iat`, `exp` and expiry checks; tests pass another. */
  now?: () => Date;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  jti: z.string().min(1),
  exp: z.number(),
  groups: z.array(z.string()).default([]),
  agent: agentBinding.optional(),
  grants: grantsSchema.default([]),
});

/** Verified tokens remembered (the principal they name, until they expire). */
const VERIFIED_CACHE_SIZE = 1024;

/** Issues and verifies bearer tokens with the data directory's signing key. */
export class TokenIssuer {
  /**
   * Principals of tokens verified before, by token. A token's claims never change and nothing
   * revokes one before its `exp`, so the signature check (the largest part of authenticating a
   * request) is done once per token, not once per request. Oldest first, bounded.
   */
  private readonly verified = new Map<string, Principal & { expiresAt: Date }>();

  private constructor(
    private readonly key: SigningKey,
    /** RFC 7638 thumbprint of the public key, sent as `kid` so a rotated key can be told apart. */
    readonly keyId: string,
    private readonly now: () => Date,
  ) {}

  /** Loads (or on first start creates) the signing key in `dataDir`. */
  static async open(dataDir: string, options: TokenIssuerOptions = {}): Promise<TokenIssuer> {
    const key = await ensureSigningKey(dataDir);
    const keyId = await calculateJwkThumbprint(await exportJWK(key.publicKey));
    return new TokenIssuer(key, keyId, options.now ?? (() => new Date()));
  }

  /** Signs a token for `request`; throws TokenRequestError for an empty subject, bad TTL or unknown role. */
  async issue(request: TokenRequest): Promise<string> {
    const ttl = request.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (request.subject.trim() === "") throw new TokenRequestError("subject", "must not be empty");
    if (!Number.isInteger(ttl) || ttl <= 0)
      throw new TokenRequestError("ttlSeconds", "must be a positive whole number");
    const grants = request.grants ?? [];
    grants.forEach((g, i) => {
      if (!isRole(g.role)) throw new TokenRequestError(`grants[${i}].role`, `must be one of ${ROLES.join(", ")}`);
      if (g.namespace === "") throw new TokenRequestError(`grants[${i}].namespace`, 'must be a namespace or "*"');
    });
    const iat = Math.floor(this.now().getTime() / 1000);
    const claims = request.agent
      ? { groups: request.groups ?? [], grants, agent: request.agent }
      : { groups: request.groups ?? [], grants };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: "JWT", kid: this.keyId })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(request.audience ?? TOKEN_ISSUER)
      .setSubject(request.subject)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(this.key.privateKey);
  }

  /**
   * The principal a token names; throws AuthenticationError unless it is well-formed, ours, current
   * and for `audience` (API bearer tokens when absent; bootstrap tokens have their own).
   */
  async verify(token: string, audience: string = TOKEN_ISSUER): Promise<Principal> {
    if (token.trim() === "") throw new AuthenticationError("Missing", "no bearer token presented");
    const cacheKey = `${audience} ${token}`;
    const known = this.verified.get(cacheKey);
    if (known && known.expiresAt.getTime() > this.now().getTime()) return { ...known };
    const principal = await this.verifySignature(token, audience);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(cacheKey, principal);
    return { ...principal };
  }

  private async verifySignature(token: string, audience: string): Promise<Principal & { expiresAt: Date }> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key.publicKey, {
        algorithms: [ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience,
        requiredClaims: ["sub", "jti", "iat", "exp"],
        currentDate: this.now(),
      }));
    } catch (err) {
      throw toAuthenticationError(err);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      const field = claims.error.issues[0]?.path.join(".") ?? "";
      throw new AuthenticationError("Malformed", `token claim "${field}" has the wrong shape`);
    }
    const { sub, jti, exp, groups, grants, agent } = claims.data;
    const principal = { user: sub, groups, grants, tokenId: jti, expiresAt: new Date(exp * 1000) };
    return agent ? { ...principal, agent } : principal;
  }
}

function toAuthenticationError(err: unknown): Error {
  if (err instanceof errors.JWTExpired) {
    const exp = typeof err.payload.exp === "number" ? new Date(err.payload.exp * 1000) : undefined;
    return new AuthenticationError("Expired", `token expired at ${exp?.toISOString() ?? "an unknown time"}`, exp);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthenticationError("SignatureInvalid", "token signature invalid");
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new AuthenticationError("SignatureInvalid", `token signature invalid: only ${ALGORITHM} is accepted`);
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    const problem =
      err.reason === "missing" ? "is missing" : err.claim === "nbf" ? "is in the future" : "is not accepted";
    return new AuthenticationError("ClaimInvalid", `token claim "${err.claim}" ${problem}`);
  }
  if (err instanceof errors.JOSEError) return new AuthenticationError("Malformed", "token is not a well-formed JWT");
  return err instanceof Error ? err : new Error(String(err));
}
