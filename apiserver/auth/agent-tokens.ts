// The tokens of an agent's life: the one-time bootstrap token an operator hands over, the
// credential the agent holds afterwards, and the assertion (signed with the agent's own key) it
// renews that credential with. Bootstrap tokens and assertions have their own audiences, so none of
// them is ever accepted as an API bearer token.
import { createHash, createPublicKey } from "node:crypto";
import { errors, jwtVerify } from "jose";
import { AuthenticationError } from "./errors.ts";
import type { AgentBinding } from "./principal.ts";
import type { TokenIssuer } from "./tokens.ts";

/** `aud` of bootstrap tokens. */
export const BOOTSTRAP_AUDIENCE = "stella-agent-bootstrap";
/** `aud` of the assertions an agent renews its credential with. */
export const RENEWAL_AUDIENCE = "stella-agent-renewal";
/** Lifetime of a bootstrap token unless the operator asks for another: 15 minutes. */
export const DEFAULT_BOOTSTRAP_TTL_SECONDS = 15 * 60;
/** Lifetime of an agent credential: 15 minutes; the agent renews it at two thirds. */
export const AGENT_CREDENTIAL_TTL_SECONDS = 15 * 60;
/** The longest an agent may ask its credential to live. */
export const MAX_AGENT_CREDENTIAL_TTL_SECONDS = 60 * 60;
/** Prefix of the bootstrap token text: `stb1.<sha256 of the CA certificate, hex>.<jwt>`. */
export const BOOTSTRAP_TOKEN_PREFIX = "stb1";

/** sha256 of a PEM certificate's DER, hex: what a bootstrap token pins the server's CA to. */
export function caCertHash(caCertPem: string): string {
  const der = Buffer.from(caCertPem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
  return createHash("sha256").update(der).digest("hex");
}

/** Issues the bootstrap token text for an Agent at its current uid and generation. */
export async function issueBootstrapToken(
  issuer: TokenIssuer,
  caCertPem: string,
  agent: Required<Pick<AgentBinding, "namespace" | "name" | "uid" | "generation">>,
  ttlSeconds: number,
): Promise<string> {
  const jwt = await issuer.issue({
    subject: `system:bootstrap:${agent.namespace}:${agent.name}`,
    groups: ["stella:bootstrappers"],
    agent,
    audience: BOOTSTRAP_AUDIENCE,
    ttlSeconds,
  });
  return `${BOOTSTRAP_TOKEN_PREFIX}.${caCertHash(caCertPem)}.${jwt}`;
}

/** Issues an agent credential bound to the Agent's uid and enrolled key. */
export function issueAgentCredential(
  issuer: TokenIssuer,
  agent: Required<Pick<AgentBinding, "namespace" | "name" | "uid" | "key">>,
  ttlSeconds: number,
): Promise<string> {
  return issuer.issue({
    subject: `system:agent:${agent.namespace}:${agent.name}`,
    groups: ["stella:agents"],
    agent,
    ttlSeconds,
  });
}

/** The JWT part of a bootstrap token's text; throws AuthenticationError when it is not one. */
export function bootstrapJwt(text: string): string {
  const [prefix, hash, ...rest] = text.split(".");
  if (prefix !== BOOTSTRAP_TOKEN_PREFIX || !/^[0-9a-f]{64}$/.test(hash ?? "") || rest.length !== 3)
    throw new AuthenticationError(
      "Malformed",
      `not a bootstrap token (expected ${BOOTSTRAP_TOKEN_PREFIX}.<ca-hash>.<jwt>)`,
    );
  return rest.join(".");
}

/**
 * Verifies a renewal assertion: an EdDSA JWT signed with the agent's enrolled key, `iss` and `sub`
 * `agent:<namespace>/<name>`, audience RENEWAL_AUDIENCE, living at most five minutes.
 */
export async function verifyRenewalAssertion(
  assertion: string,
  publicKeyPem: string,
  agent: { namespace: string; name: string },
  now: Date = new Date(),
): Promise<void> {
  const who = `agent:${agent.namespace}/${agent.name}`;
  try {
    const { payload } = await jwtVerify(assertion, createPublicKey(publicKeyPem), {
      algorithms: ["EdDSA"],
      issuer: who,
      subject: who,
      audience: RENEWAL_AUDIENCE,
      requiredClaims: ["iat", "exp"],
      currentDate: now,
      maxTokenAge: "5m",
    });
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > 300)
      throw new AuthenticationError("ClaimInvalid", "renewal assertion lives longer than five minutes");
  } catch (err) {
    if (err instanceof AuthenticationError) throw err;
    if (err instanceof errors.JWTExpired) throw new AuthenticationError("Expired", "renewal assertion expired");
    if (err instanceof errors.JOSEError)
      throw new AuthenticationError("SignatureInvalid", "renewal assertion not signed by the agent's enrolled key");
    throw err;
  }
}
