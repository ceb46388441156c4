// The agent enrollment endpoints, outside the resource routes because their callers hold no API
// token yet (or only their own key):
//   GET  /agent-enrollment/v1/ca                                         the CA certificate (public)
//   POST /agent-enrollment/v1/namespaces/NS/agents/NAME/bootstrap        operator: a one-time token
//   POST /agent-enrollment/v1/namespaces/NS/agents/NAME/enroll           agent: bootstrap token + public key
//   POST /agent-enrollment/v1/namespaces/NS/agents/NAME/token            agent: renewal signed with its key
// A bootstrap token works once: issuing one records its digest in the Agent (voiding any earlier
// one not yet used), and enrolling removes that digest in the same conditional write that records
// the agent's public key, so a copied token is refused even when it enrolls the key the Agent
// already has. A new key bumps the generation, which also ends credentials of the earlier key.
// Names in the path are checked before anything reads them; the audit log names the agent only
// once its token is verified. Every failure is a Status; none echoes a token or a key.
import { createHash, createPublicKey, randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import type { Context, Hono } from "hono";
import { agentKind, type Agent } from "../../crds/agent.ts";
import { ApiError, forbidden, invalid, isNotFound, unauthorized } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import {
  AGENT_CREDENTIAL_TTL_SECONDS,
  BOOTSTRAP_AUDIENCE,
  DEFAULT_BOOTSTRAP_TTL_SECONDS,
  MAX_AGENT_CREDENTIAL_TTL_SECONDS,
  bootstrapJwt,
  issueAgentCredential,
  issueBootstrapToken,
  verifyRenewalAssertion,
} from "../auth/agent-tokens.ts";
import { AuthenticationError } from "../auth/errors.ts";
import type { TokenIssuer } from "../auth/tokens.ts";
import type { Store } from "../registry/store.ts";
import { publicKeyThumbprint } from "./agent-registry.ts";
import type { Authenticate, Authorize, HttpDeps } from "./deps.ts";
import { pathSegments, rawPathOf } from "./path-segments.ts";
import { parseBody, readBodyBytes, mediaType } from "./request-body.ts";
import { withRequestTimeout } from "./request-timeout.ts";
import { statusResponse, toApiError } from "./status-response.ts";

/** The path prefix of the enrollment endpoints. */
export const ENROLLMENT_PREFIX = "/agent-enrollment/v1";

/** What the enrollment endpoints need. */
export interface EnrollmentDeps {
  store: Store;
  issuer: TokenIssuer;
  caCertPem: string;
  authenticate: Authenticate;
  authorize: Authorize;
  audit: HttpDeps["audit"];
  log: HttpDeps["log"];
  metrics: HttpDeps["metrics"];
  requestTimeoutMs: number;
}

/** What enroll and token answer. */
export interface AgentCredentialResponse {
  kind: "AgentCredential";
  namespace: string;
  name: string;
  token: string;
  expirationTimestamp: string;
  caCertPem: string;
}

const FIELD_MANAGER = "stella-enrollment";
/** Annotation on an Agent: sha256 of the `jti` of the one bootstrap token that may still enroll it. */
export const BOOTSTRAP_TOKEN_ANNOTATION = "agent.stella.io/bootstrap-token-sha256";
/** The largest public key text taken (an Ed25519 SPKI PEM is 113 bytes). */
const MAX_PUBLIC_KEY_LENGTH = 1024;
const tokenDigest = (jti: string) => createHash("sha256").update(jti).digest("hex");
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
const target = (name: string) => ({ group: "release.stella.io", kind: "Agent", plural: "agents", name });

/** Adds the enrollment routes to `app` (before its authenticated catch-all). */
export function addEnrollmentRoutes(app: Hono, deps: EnrollmentDeps): void {
  app.get(
    `${ENROLLMENT_PREFIX}/ca`,
    () => new Response(deps.caCertPem, { headers: { "content-type": "application/x-pem-file" } }),
  );
  type Handler = (c: Context, ns: string, name: string, who: { user: string }) => Promise<Response>;
  const route = (verb: string, handle: Handler) =>
    app.post(`${ENROLLMENT_PREFIX}/namespaces/:ns/agents/:name/${verb}`, async (c) => {
      const requestId = randomUUID();
      const { ns, name } = c.req.param() as { ns: string; name: string };
      let response: Response;
      // Until a token is verified the caller is nobody; handlers name who it turned out to be.
      const who = { user: "system:anonymous" };
      try {
        // Before anything reads the path (the store, errors, the audit log): no unusable segment.
        pathSegments(rawPathOf(c.req.url));
        response = await withRequestTimeout(deps.requestTimeoutMs, () => handle(c, ns, name, who));
      } catch (err) {
        response = statusResponse(toApiError(toStatus(err), deps.log, requestId));
      }
      await deps
        .audit({
          time: new Date().toISOString(),
          user: who.user,
          verb: "create",
          resource: "agents",
          subresource: verb,
          namespace: ns,
          name,
          code: response.status,
          outcome: response.status < 400 ? "success" : "failure",
          requestId,
        })
        .catch((err: unknown) => {
          // Never silent: as for every other request, a failed audit write is an alarm (log and metric).
          deps.metrics.auditWriteFailed();
          deps.log.error("audit write failed", { requestId, user: who.user, verb, error: String(err) });
        });
      response.headers.set("audit-id", requestId);
      return response;
    });

  route("bootstrap", async (c, ns, name, who) => {
    const caller = await deps.authenticate(c.req.header("authorization"));
    who.user = caller.user;
    // Whoever may change the Agent may hand out its bootstrap token.
    await deps.authorize(caller, { verb: "update", resource: "agents", namespace: ns, name });
    const body = (await readJson(c)) as { ttlSeconds?: unknown };
    const ttl = ttlOf(body.ttlSeconds, DEFAULT_BOOTSTRAP_TTL_SECONDS, MAX_AGENT_CREDENTIAL_TTL_SECONDS, name);
    const agent = (await deps.store.get(agentKind, ns, name)) as Agent;
    if (agent.spec.revoked)
      throw forbidden(
        `agent ${ns}/${name} is revoked: set spec.revoked to false before bootstrapping it again`,
        target(name),
      );
    const binding = { namespace: ns, name, uid: agent.metadata.uid!, generation: agent.metadata.generation ?? 1 };
    const token = await issueBootstrapToken(deps.issuer, deps.caCertPem, binding, ttl);
    // Only this token may enroll the agent now: an earlier one not yet used is void from here on.
    const digest = tokenDigest(decodeJwt(bootstrapJwt(token)).jti!);
    await deps.store.mutate(agentKind, ns, name, { fieldManager: FIELD_MANAGER }, (cur) =>
      withAnnotation(cur, BOOTSTRAP_TOKEN_ANNOTATION, digest),
    );
    return json({ kind: "AgentBootstrapToken", namespace: ns, name, token, expirationTimestamp: expiry(ttl) });
  });

  route("enroll", async (c, ns, name, who) => {
    const presented = bearer(c);
    const principal = await deps.issuer.verify(bootstrapJwt(presented), BOOTSTRAP_AUDIENCE);
    who.user = principal.user;
    const bound = principal.agent;
    if (!bound || bound.namespace !== ns || bound.name !== name)
      throw forbidden(`this bootstrap token is for another agent, not ${ns}/${name}`, target(name));
    const body = (await readJson(c)) as { publicKey?: unknown; ttlSeconds?: unknown };
    const publicKey = ed25519Pem(body.publicKey, name);
    const ttl = ttlOf(body.ttlSeconds, AGENT_CREDENTIAL_TTL_SECONDS, MAX_AGENT_CREDENTIAL_TTL_SECONDS, name);
    const agent = await getAgent(deps.store, ns, name);
    const issued = agent.metadata.annotations?.[BOOTSTRAP_TOKEN_ANNOTATION];
    if (
      agent.metadata.uid !== bound.uid ||
      (agent.metadata.generation ?? 1) !== bound.generation ||
      agent.spec.revoked ||
      issued !== tokenDigest(principal.tokenId)
    )
      throw unauthorized(
        `Unauthorized: bootstrap token for agent ${ns}/${name} was already used or superseded (the Agent changed since it was issued); ask for a new one with "stella agent bootstrap ${name}"`,
      );
    // The write is conditional on the Agent read above and always changes it (the token's digest
    // goes), so of two enrollments with one token exactly one wins, whatever key each brings.
    const opts = { fieldManager: FIELD_MANAGER };
    const expectedRV = Number(agent.metadata.resourceVersion);
    const consume = (cur: StellaObject) => withAnnotation(withSpec(cur, { publicKey }), BOOTSTRAP_TOKEN_ANNOTATION);
    const enrolled = await deps.store
      .mutate(agentKind, ns, name, opts, consume, { expectedRV })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.reason === "Conflict")
          throw unauthorized(`Unauthorized: bootstrap token for agent ${ns}/${name} was already used`);
        throw err;
      });
    await deps.store
      .mutate(agentKind, ns, name, { ...opts, subresource: "status" }, (cur) => enrolledStatus(cur))
      .catch((err: unknown) =>
        deps.log.warn("could not record enrollment time", { agent: `${ns}/${name}`, error: String(err) }),
      );
    const key = publicKeyThumbprint(publicKey);
    const token = await issueAgentCredential(
      deps.issuer,
      { namespace: ns, name, uid: enrolled.metadata.uid!, key },
      ttl,
    );
    return json(credential(ns, name, token, ttl, deps.caCertPem));
  });

  route("token", async (c, ns, name, who) => {
    const assertion = bearer(c);
    const body = (await readJson(c)) as { ttlSeconds?: unknown };
    const ttl = ttlOf(body.ttlSeconds, AGENT_CREDENTIAL_TTL_SECONDS, MAX_AGENT_CREDENTIAL_TTL_SECONDS, name);
    const agent = await getAgent(deps.store, ns, name);
    if (!agent.spec.publicKey) throw unauthorized(`Unauthorized: agent ${ns}/${name} is not enrolled`);
    if (agent.spec.revoked) throw unauthorized(`Unauthorized: agent ${ns}/${name} is revoked`);
    await verifyRenewalAssertion(assertion, agent.spec.publicKey, { namespace: ns, name });
    who.user = `system:agent:${ns}:${name}`;
    const key = publicKeyThumbprint(agent.spec.publicKey);
    const token = await issueAgentCredential(deps.issuer, { namespace: ns, name, uid: agent.metadata.uid!, key }, ttl);
    return json(credential(ns, name, token, ttl, deps.caCertPem));
  });
}

function credential(ns: string, name: string, token: string, ttl: number, caCertPem: string): AgentCredentialResponse {
  return { kind: "AgentCredential", namespace: ns, name, token, expirationTimestamp: expiry(ttl), caCertPem };
}

const expiry = (ttl: number) => new Date(Date.now() + ttl * 1000).toISOString();

function bearer(c: Context): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
  if (!m) throw unauthorized("Unauthorized: a bearer token is required (Authorization: Bearer <token>)");
  return m[1];
}

async function readJson(c: Context): Promise<Record<string, unknown>> {
  const bytes = await readBodyBytes(c.req.raw, 64 * 1024);
  if (bytes.length === 0) return {};
  const body = parseBody(bytes, mediaType(c.req.raw));
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

async function getAgent(store: Store, ns: string, name: string): Promise<Agent> {
  try {
    return (await store.get(agentKind, ns, name)) as Agent;
  } catch (err) {
    // Unauthenticated callers learn nothing about which agents exist.
    if (isNotFound(err)) throw unauthorized(`Unauthorized: agent ${ns}/${name} is not known`);
    throw err;
  }
}

const PUBLIC_KEY_PEM = /^\s*-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;

/**
 * The agent's key as SPKI PEM; anything but one public Ed25519 key (a private key, a certificate, two keys)
 * is refused.
 */
function ed25519Pem(value: unknown, name: string): string {
  const cause = (message: string) =>
    invalid(target(name), [{ reason: "FieldValueInvalid", field: "publicKey", message }]);
  if (typeof value !== "string") throw cause("is required: the agent's Ed25519 public key (PEM, SPKI)");
  // The text alone decides: never hand a private key or a certificate to createPublicKey, which
  // would take either (and the agent's private key has no business on the server).
  if (value.length > MAX_PUBLIC_KEY_LENGTH || !PUBLIC_KEY_PEM.test(value))
    throw cause("must be one Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----, SPKI)");
  try {
    const key = createPublicKey({ key: value, format: "pem" });
    if (key.asymmetricKeyType !== "ed25519") throw cause(`must be an Ed25519 key, not ${key.asymmetricKeyType}`);
    return key.export({ type: "spki", format: "pem" }).toString();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw cause("must be a PEM public key (SPKI)");
  }
}

function ttlOf(value: unknown, fallback: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max)
    throw invalid(target(name), [
      {
        reason: "FieldValueInvalid",
        field: "ttlSeconds",
        message: `must be a whole number of seconds from 1 to ${max}`,
      },
    ]);
  return value;
}

function withSpec(cur: StellaObject, patch: Record<string, unknown>): StellaObject {
  return { ...cur, spec: { ...(cur.spec as object), ...patch } };
}

/** `cur` with annotation `key` set to `value`, or removed when `value` is undefined. */
function withAnnotation(cur: StellaObject, key: string, value?: string): StellaObject {
  const annotations = { ...(cur.metadata.annotations ?? {}) };
  if (value === undefined) delete annotations[key];
  else annotations[key] = value;
  return { ...cur, metadata: { ...cur.metadata, annotations } };
}

function enrolledStatus(cur: StellaObject): StellaObject {
  const now = new Date().toISOString();
  const status = (cur.status ?? {}) as Record<string, unknown>;
  const conditions = ((status.conditions as { type: string }[] | undefined) ?? []).filter((c) => c.type !== "Enrolled");
  conditions.push({
    type: "Enrolled",
    status: "True",
    reason: "Enrolled",
    message: "the agent enrolled its key",
    lastTransitionTime: now,
  } as never);
  return { ...cur, status: { ...status, enrolledAt: now, conditions, phase: "Pending" } };
}

function toStatus(err: unknown): unknown {
  if (err instanceof AuthenticationError) return unauthorized(`Unauthorized: ${err.message}`);
  return err;
}
