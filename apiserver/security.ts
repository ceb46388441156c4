// Wires the auth modules into the HTTP layer: bearer tokens to principals (401 on failure),
// principals and RoleBindings to allow/deny (403 naming user, role, verb and resource).
import { forbidden, unauthorized } from "../crds/errors.ts";
import { authorize, effectiveGrants } from "./auth/authorize.ts";
import { subjectRules } from "./auth/rules-review.ts";
import type { KindInfo } from "../crds/scheme-types.ts";
import { AuthenticationError } from "./auth/errors.ts";
import type { TokenIssuer } from "./auth/tokens.ts";
import type { Authenticate, Authorize, Reviewer, RolesOf } from "./http/deps.ts";
import type { RoleBindingCache } from "./http/role-binding-cache.ts";

/** Verifies `Authorization: Bearer <jwt>`; every failure is a 401 that says why, never echoing the token. */
export function bearerAuthenticator(issuer: TokenIssuer): Authenticate {
  return async (header) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    if (!m) throw unauthorized("Unauthorized: a bearer token is required (Authorization: Bearer <token>)");
    try {
      return await issuer.verify(m[1]);
    } catch (err) {
      if (err instanceof AuthenticationError) throw unauthorized(`Unauthorized: ${err.message}`);
      throw err;
    }
  };
}

/** Role-based authorization over the token's grants and the namespace's RoleBindings. */
export function roleAuthorizer(bindings: RoleBindingCache): Authorize {
  return async (caller, attrs) => {
    const decision = authorize(caller, attrs, bindings.inNamespace(attrs.namespace));
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
