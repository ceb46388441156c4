// The errors of the auth area, one class per failure, each with typed fields. Callers branch on
// the class (and `reason`), never on message text. Messages never contain a token.

/** Why a bearer token was refused. */
export type AuthenticationFailure =
  | "Missing" // no token was presented
  | "Malformed" // not a compact JWS, or a claim has the wrong shape
  | "SignatureInvalid" // signed by another key, or with an algorithm other than EdDSA (incl. none)
  | "Expired" // `exp` is in the past
  | "ClaimInvalid"; // wrong issuer or audience, not yet valid, or a required claim is absent

/** A request's credentials could not be verified (HTTP 401). */
export class AuthenticationError extends Error {
  override readonly name = "AuthenticationError";
  constructor(
    readonly reason: AuthenticationFailure,
    message: string,
    /** When the token expired; set only for reason "Expired". */
    readonly expiredAt?: Date,
  ) {
    super(message);
  }
}

/** A key or certificate file in the data directory exists but cannot be used as it is. */
export class KeyMaterialError extends Error {
  override readonly name = "KeyMaterialError";
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** A token was requested with unusable parameters (empty subject, bad TTL, unknown role). */
export class TokenRequestError extends Error {
  override readonly name = "TokenRequestError";
  constructor(
    /** The offending parameter, e.g. `ttlSeconds` or `grants[0].role`. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}
