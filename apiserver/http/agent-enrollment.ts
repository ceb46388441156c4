// The agent enrollment endpoints, outside the resource routes because their callers hold no API
// token yet (or only their own key):
//   GET  /agent-enrollment/v1/ca                                         the CA certificate (public)
//   POST /agent-enrollment/v1/namespaces/NS/agents/NAME/bootstrap        operator: a one-time token
//   POST /agent-enrollment/v1/namespaces/NS/agents/NAME/enroll           agent: bootstrap token + public key
//   POST /agent-enrollment/v1/namespaces/NS/agents/NAME/token            agent: renewal signed with its key
// Enrolling records the agent's public key in the Agent's spec, which bumps its generation: the
// bootstrap token (bound to the generation it was issued at) cannot be used again, and credentials
// of an earlier key stop working. Every failure is a Status; none echoes a token.
import { createPublicKey, randomUUID } from "node:crypto";
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
import { parseBody, readBodyBytes, mediaType } from "./request-body.ts";
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
      const who = { user: verb === "bootstrap" ? "system:anonymous" : `system:agent:${ns}:${name}` };
      try {
        response = await handle(c, ns, name, who);
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
        .catch((err: unknown) => deps.log.error("audit write failed", { requestId, error: String(err) }));
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
    return json({ kind: "AgentBootstrapToken", namespace: ns, name, token, expirationTimestamp: expiry(ttl) });
  });

  route("enroll", async (c, ns, name) => {
    const presented = bearer(c);
    const principal = await deps.issuer.verify(bootstrapJwt(presented), BOOTSTRAP_AUDIENCE);
    const bound = principal.agent;
    if (!bound || bound.namespace !== ns || bound.name !== name)
      throw forbidden(`this bootstrap token is for another agent, not ${ns}/${name}`, target(name));
    const body = (await readJson(c)) as { publicKey?: unknown; ttlSeconds?: unknown };
    const publicKey = ed25519Pem(body.publicKey, name);
    const ttl = ttlOf(body.ttlSeconds, AGENT_CREDENTIAL_TTL_SECONDS, MAX_AGENT_CREDENTIAL_TTL_SECONDS, name);
    const agent = await getAgent(deps.store, ns, name);
    if (agent.metadata.uid !== bound.uid || (agent.metadata.generation ?? 1) !== bound.generation || agent.spec.revoked)
      throw unauthorized(
        `Unauthorized: bootstrap token for agent ${ns}/${name} was already used or superseded (the Agent changed since it was issued); ask for a new one with "stella agent bootstrap ${name}"`,
      );
    // The write is conditional on the Agent read above: of two enrollments with one token, one wins.
    const opts = { fieldManager: FIELD_MANAGER };
    const expectedRV = Number(agent.metadata.resourceVersion);
    const enrolled = await deps.store
      .mutate(agentKind, ns, name, opts, (cur) => withSpec(cur, { publicKey }), { expectedRV })
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

  route("token", async (c, ns, name) => {
    const assertion = bearer(c);
    const body = (await readJson(c)) as { ttlSeconds?: unknown };
    const ttl = ttlOf(body.ttlSeconds, AGENT_CREDENTIAL_TTL_SECONDS, MAX_AGENT_CREDENTIAL_TTL_SECONDS, name);
    const agent = await getAgent(deps.store, ns, name);
    if (!agent.spec.publicKey) throw unauthorized(`Unauthorized: agent ${ns}/${name} is not enrolled`);
    if (agent.spec.revoked) throw unauthorized(`Unauthorized: agent ${ns}/${name} is revoked`);
    await verifyRenewalAssertion(assertion, agent.spec.publicKey, { namespace: ns, name });
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

function ed25519Pem(value: unknown, name: string): string {
  const cause = (message: string) =>
    invalid(target(name), [{ reason: "FieldValueInvalid", field: "publicKey", message }]);
  if (typeof value !== "string") throw cause("is required: the agent's Ed25519 public key (PEM, SPKI)");
  try {
    const key = createPublicKey(value);
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
