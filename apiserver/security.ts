// Wires the auth modules into the HTTP layer: bearer tokens to principals (401 on failure),
// principals and RoleBindings to allow/deny (403 naming user, role, verb and resource).
import { forbidden, unauthorized } from "../crds/errors.ts";
import { authorize, effectiveGrants } from "./auth/authorize.ts";
import { subjectRules } from "./auth/rules-review.ts";
import { authorizeAgent, type AgentScopeView } from "./auth/agent-scope.ts";
import type { AgentRegistry } from "./http/agent-registry.ts";
import type { KindInfo } from "../crds/scheme-types.ts";
import { AuthenticationError } from "./auth/errors.ts";
import type { TokenIssuer } from "./auth/tokens.ts";
import type { Authenticate, Authorize, Reviewer, RolesOf } from "./http/deps.ts";
import type { RoleBindingCache } from "./http/role-binding-cache.ts";

/**
 * Verifies `Authorization: Bearer <jwt>`; every failure is a 401 that says why, never echoing the
 * token. An agent credential is honoured only while its Agent is there, unrevoked, with its key.
 */
export function bearerAuthenticator(issuer: TokenIssuer, agents?: AgentRegistry): Authenticate {
  return async (header) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    if (!m) throw unauthorized("Unauthorized: a bearer token is required (Authorization: Bearer <token>)");
    let principal;
    try {
      principal = await issuer.verify(m[1]);
    } catch (err) {
      if (err instanceof AuthenticationError) throw unauthorized(`Unauthorized: ${err.message}`);
      throw err;
    }
    if (principal.agent) {
      const refusal = agents ? agents.refusal(principal.agent) : "agent credentials are not accepted here";
      if (refusal) throw unauthorized(`Unauthorized: agent credential no longer valid: ${refusal}`);
    }
    return principal;
  };
}

/**
 * Role-based authorization over the token's grants and the namespace's RoleBindings; an agent's
 * credential is decided by its scope instead (auth/agent-scope.ts).
 */
export function roleAuthorizer(bindings: RoleBindingCache, agents?: AgentScopeView): Authorize {
  return async (caller, attrs) => {
    const decision =
      caller.agent && agents
        ? authorizeAgent(caller.agent, attrs, agents)
        : authorize(caller, attrs, bindings.inNamespace(attrs.namespace));
    if (!decision.allowed)
      throw forbidden(decision.reason, { group: "", kind: attrs.resource, plural: attrs.resource, name: attrs.name });
  };
}

/** The same decisions as roleAuthorizer, answered rather than thrown, and the rules behind them. */
export function roleReviewer(bindings: RoleBindingCache, kinds: readonly KindInfo[]): Reviewer {
  return {
    decide: (caller, attrs) => authorize(caller, attrs, bindings.inNamespace(attrs.namespace)),
    rules: (caller, namespace) => subjectRules(caller, namespace, bindings.inNamespace(namespace), kinds),
  };
}

/** The roles a caller holds in a namespace: the token's grants there (or everywhere) and its RoleBindings. */
export function roleLookup(bindings: RoleBindingCache): RolesOf {
  return (caller, namespace) => {
    const grants = effectiveGrants(caller, namespace, bindings.inNamespace(namespace));
    return [...new Set(grants.map((g) => g.role))];
  };
}
