// The role model as the README documents it, written out by hand for the role matrix test (not
// derived from apiserver/auth/roles.ts, so a change there that breaks the documented model fails).
// Every grant here is in one namespace, so no role may write namespaces (that needs a grant in "*").

/** The roles of Stella. */
export const MATRIX_ROLES = ["admin", "operator", "approver", "viewer", "controller", "agent"] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

/** Kinds people manage through manifests. */
const MANAGED = ["environments", "targets", "agents", "releases", "promotions", "deployments", "canaries"];
/** Kinds only the machinery writes. */
const RECORDS = ["evidencepackets", "artifacts", "leases", "events", "agentworks"]; // AgentWork holds Secret references, never values
const STELLA = [...MANAGED, ...RECORDS];
const READ = ["get", "list", "watch"];

/** Roles that may read a Secret's content; every other role must never see it. */
export const SECRET_READERS: readonly MatrixRole[] = ["admin", "controller"];

/** Whether `role`, granted in the request's namespace, may do `verb` on `resource[/subresource]`. */
export function documentedAllows(
  role: MatrixRole,
  resource: string,
  subresource: string | undefined,
  verb: string,
): boolean {
  const read = READ.includes(verb);
  // Every authenticated user sees namespaces (not their status); writing them takes a grant in "*".
  if (resource === "namespaces") return read && !subresource;
  const stellaRead = read && (STELLA.includes(resource) || resource === "rolebindings");
  switch (role) {
    case "admin":
      return true;
    case "operator": // writes managed kinds and secrets (write-only), reads the rest, never approves
      if (subresource) return read && STELLA.includes(resource);
      return MANAGED.includes(resource) || stellaRead || (resource === "secrets" && !read);
    case "approver": // reads everything but secrets, decides promotions
      if (subresource === "approval") return verb === "create";
      return stellaRead && (!subresource || STELLA.includes(resource));
    case "viewer": // reads everything but secrets
      if (subresource === "approval") return false;
      return stellaRead && (!subresource || STELLA.includes(resource));
    case "controller": // every Stella kind and its status, reads secrets; never approves, never binds roles
      if (subresource === "approval") return false;
      if (subresource === "status") return STELLA.includes(resource);
      return STELLA.includes(resource) || (read && (resource === "secrets" || resource === "rolebindings"));
    case "agent": // reads releases and deployments, reports events; its targets, agent and lease only when named
      if (resource === "events") return !subresource && ["get", "create", "patch"].includes(verb);
      return !subresource && read && (resource === "releases" || resource === "deployments");
  }
}

/**
 * Answers the registry gives an allowed request whatever the role: evidence is write-once, never deleted; decisions
 * wait for their phase.
 */
export function policyAnswer(resource: string, verb: string, subresource?: string): number | undefined {
  if (resource === "evidencepackets" && (verb === "delete" || verb === "deletecollection")) return 403;
  // No controller runs here, so a promotion never reaches AwaitingApproval: a permitted decision meets its phase.
  if (resource === "promotions" && subresource === "approval") return 409;
  return undefined;
}
