// The six roles of Stella and what each may do, as data. A role is granted per namespace (or in
// every namespace, "*"); authorize.ts evaluates these rules. Resources not named here (a kind added
// later) are reachable only by admin until a rule names them: the default is deny.

/** The roles, from most to least powerful for people, then the two machine roles. */
export const ROLES = ["admin", "operator", "approver", "viewer", "controller", "agent"] as const;
/** One of ROLES. */
export type Role = (typeof ROLES)[number];

/** The request verbs, as Kubernetes names them. */
export const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] as const;
/** One of VERBS. */
export type Verb = (typeof VERBS)[number];

/** Whether `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * One permission: these verbs on these resources. A resource pattern is `R` (the resource itself,
 * no subresource), `R/S` (subresource S of R), `R/*`, `*\/S`, or `*` (every resource and subresource).
 */
export interface PolicyRule {
  verbs: readonly Verb[];
  resources: readonly string[];
  /**
   * The rule covers only objects the grant names in `resourceNames[R]`; a grant without such a list
   * gets nothing from it, and a request without a name (list, watch of all) is not covered.
   */
  namedOnly?: boolean;
}

const READ: readonly Verb[] = ["get", "list", "watch"];
const WRITE: readonly Verb[] = ["create", "update", "patch", "delete", "deletecollection"];
const REPORT: readonly Verb[] = ["update", "patch"];

/** Kinds people manage through manifests. */
export const MANAGED_RESOURCES = [
  "environments",
  "targets",
  "agents",
  "releases",
  "promotions",
  "deployments",
  "canaries",
] as const;

/** Kinds only the machinery writes: evidence, generated artifacts, leases, events, agents' work. */
export const RECORD_RESOURCES = ["evidencepackets", "artifacts", "leases", "events", "agentworks"] as const;

/** Every namespaced Stella resource that roles below admin may see. Secrets and rolebindings are apart. */
export const STELLA_RESOURCES = [...MANAGED_RESOURCES, ...RECORD_RESOURCES] as const;

const ANY_SUBRESOURCE = STELLA_RESOURCES.map((r) => `${r}/*`);
const STATUS = STELLA_RESOURCES.map((r) => `${r}/status`);
const READABLE = [...STELLA_RESOURCES, ...ANY_SUBRESOURCE, "rolebindings"];

/** What each role may do within a namespace it is granted in. */
export const ROLE_RULES: Readonly<Record<Role, readonly PolicyRule[]>> = {
  /** Everything, including rolebindings, secrets and (granted in "*") namespaces. */
  admin: [{ verbs: VERBS, resources: ["*"] }],
  /** Runs releases: writes the managed kinds and secrets (write-only), reads the rest; never approves. */
  operator: [
    { verbs: VERBS, resources: MANAGED_RESOURCES },
    { verbs: READ, resources: READABLE },
    { verbs: WRITE, resources: ["secrets"] },
  ],
  /** Reads everything but secrets, and approves or rejects promotions. */
  approver: [
    { verbs: READ, resources: READABLE },
    { verbs: ["create", "update", "patch"], resources: ["promotions/approval"] },
  ],
  /** Reads everything but secrets. */
  viewer: [{ verbs: READ, resources: READABLE }],
  /** The controllers: every Stella kind and its status, reads secrets; never approves, never binds roles. */
  controller: [
    { verbs: VERBS, resources: [...STELLA_RESOURCES, ...STATUS] },
    { verbs: READ, resources: [...READABLE, "secrets"] },
  ],
  /**
   * An agent on a target host: reads releases and deployments, and only its own targets, agent and
   * lease (the grant's resourceNames), whose status it reports.
   */
  agent: [
    { verbs: READ, resources: ["releases", "deployments"] },
    { verbs: READ, resources: ["targets", "agents"], namedOnly: true },
    { verbs: REPORT, resources: ["targets/status", "agents/status"], namedOnly: true },
    { verbs: ["get", "create", "update", "patch"], resources: ["leases"], namedOnly: true },
    // Events about what it runs; event names are generated, so this is not limited by resourceNames.
    { verbs: ["get", "create", "patch"], resources: ["events"] },
  ],
};

/** What every authenticated user may do whatever their grants: see namespaces. */
export const AUTHENTICATED_RULES: readonly PolicyRule[] = [{ verbs: READ, resources: ["namespaces"] }];
