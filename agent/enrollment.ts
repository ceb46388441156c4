// Enrolling and renewing, from the agent's side. The bootstrap token pins the server's CA (its
// sha256 is the token's second part, as kubeadm's --discovery-token-ca-cert-hash): the agent
// fetches the CA without trusting the connection, accepts it only if the hash matches, and from
// then on talks to the server over TLS verified against that CA alone.
import { createHash, randomUUID, type KeyObject } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { SignJWT } from "jose";
import { ApiError } from "../crds/errors.ts";
import { Transport } from "../sdk/transport.ts";
import type { StoredCredential } from "./data-dir.ts";
import { AgentConfigError, EnrollmentError } from "./errors.ts";

const PREFIX = "/agent-enrollment/v1";
/** Lifetime of a renewal assertion, seconds. */
const ASSERTION_SECONDS = 60;

/** The parts of a bootstrap token: the CA hash, the JWT, and the agent it names (read, not verified). */
export function parseBootstrapToken(text: string): { caHash: string; jwt: string; namespace: string; name: string } {
  const [prefix, caHash, ...jwtParts] = text.trim().split(".");
  if (prefix !== "stb1" || !/^[0-9a-f]{64}$/.test(caHash ?? "") || jwtParts.length !== 3)
    throw new AgentConfigError(
      "--bootstrap-token",
      'not a bootstrap token (it starts with "stb1."; print one with "stella agent bootstrap NAME")',
    );
  let claims: { agent?: { namespace?: string; name?: string } };
  try {
    claims = JSON.parse(Buffer.from(jwtParts[1], "base64url").toString("utf8"));
  } catch {
    throw new AgentConfigError("--bootstrap-token", "the token's payload is not readable");
  }
  const { namespace, name } = claims.agent ?? {};
  if (!namespace || !name) throw new AgentConfigError("--bootstrap-token", "the token names no agent");
  return { caHash, jwt: jwtParts.join("."), namespace, name };
}

/** Fetches the server's CA certificate and returns it only if its sha256 is `caHash`. */
export async function fetchPinnedCa(server: string, caHash: string): Promise<string> {
  const url = new URL(`${PREFIX}/ca`, server);
  const pem = await new Promise<string>((resolve, reject) => {
    // Not trusted yet on purpose: what comes back is checked against the hash the token carries.
    const req = httpsRequest(url, { rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () =>
        res.statusCode === 200
          ? resolve(body)
          : reject(new EnrollmentError(`GET ${url.pathname}: ${res.statusCode}`, res.statusCode)),
      );
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (err) => reject(new EnrollmentError(`cannot reach ${server}: ${err.message}`)));
    req.end();
  });
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
  const got = createHash("sha256").update(der).digest("hex");
  if (got !== caHash)
    throw new EnrollmentError(
      `the server at ${server} presents a CA (sha256 ${got}) other than the one the bootstrap token pins (${caHash}): refusing to enroll`,
    );
  return pem;
}

interface CredentialAnswer {
  token: string;
  expirationTimestamp: string;
  caCertPem: string;
}

async function post(
  server: string,
  caCertPem: string,
  bearer: string,
  path: string,
  body: unknown,
): Promise<CredentialAnswer> {
  const transport = new Transport({ server, caCertPem, token: bearer }, { userAgent: "stella-agent/0.1" });
  try {
    return await transport.request<CredentialAnswer>({ method: "POST", path: `${PREFIX}${path}`, body });
  } catch (err) {
    if (err instanceof ApiError) throw new EnrollmentError(err.message, err.code);
    throw new EnrollmentError(err instanceof Error ? err.message : String(err));
  } finally {
    transport.close();
  }
}

/** Enrolls with a bootstrap token: sends the public key, receives the first credential. */
export async function enroll(
  server: string,
  bootstrapToken: string,
  publicKeyPem: string,
  ttlSeconds?: number,
): Promise<StoredCredential> {
  const { caHash, namespace, name } = parseBootstrapToken(bootstrapToken);
  const caCertPem = await fetchPinnedCa(server, caHash);
  const answer = await post(
    server,
    caCertPem,
    bootstrapToken.trim(),
    `/namespaces/${namespace}/agents/${name}/enroll`,
    {
      publicKey: publicKeyPem,
      ttlSeconds,
    },
  );
  return { server, namespace, name, caCertPem, token: answer.token, expirationTimestamp: answer.expirationTimestamp };
}

/** Renews a credential with an assertion signed by the agent's key (works after the old one expired, until revoked). */
export async function renew(
  current: StoredCredential,
  privateKey: KeyObject,
  ttlSeconds?: number,
): Promise<StoredCredential> {
  const who = `agent:${current.namespace}/${current.name}`;
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
    .setIssuer(who)
    .setSubject(who)
    .setAudience("stella-agent-renewal")
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_SECONDS)
    .sign(privateKey);
  let answer: CredentialAnswer;
  try {
    answer = await post(
      current.server,
      current.caCertPem,
      assertion,
      `/namespaces/${current.namespace}/agents/${current.name}/token`,
      { ttlSeconds },
    );
  } catch (err) {
    // Refused after the assertion's own lifetime: the server was too slow to read it in time, which
    // says nothing about the agent; without a status the caller retries with a fresh assertion.
    if (err instanceof EnrollmentError && Date.now() / 1000 >= now + ASSERTION_SECONDS)
      throw new EnrollmentError(`${err.message} (the server answered after the assertion's ${ASSERTION_SECONDS}s)`);
    throw err;
  }
  return { ...current, token: answer.token, expirationTimestamp: answer.expirationTimestamp };
}
