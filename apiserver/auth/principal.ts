// Who is making a request, as established by a verified token, and the grants it carries.

import { z } from "zod";
import { ROLES, type Role } from "./roles.ts";

/** The grant namespace meaning every namespace, and cluster-scoped resources too. */
export const ALL_NAMESPACES = "*";

/** A role in one namespace (or ALL_NAMESPACES), optionally limited to named objects. */
export interface Grant {
  namespace: string;
  role: Role;
  /**
   * Per resource plural (e.g. `targets`), the only object names this grant reaches in that resource
   * and its subresources. Resources absent here are not limited by name.
   */
  resourceNames?: Record<string, string[]>;
}

/** A list of grants as tokens and sign-in codes carry them. */
export const grantsSchema = z.array(
  z.object({
    namespace: z.string().min(1),
    role: z.enum(ROLES),
    resourceNames: z.record(z.string(), z.array(z.string())).optional(),
  }),
);

/** An authenticated caller. */
export interface Principal {
  /** The token's subject, e.g. "admin", "alice", "agent:web-1". */
  user: string;
  groups: string[];
  /** Grants carried by the token itself; RoleBindings add more at authorization time. */
  grants: Grant[];
  /** The token's `jti`, for the audit log. */
  tokenId: string;
  expiresAt?: Date;
  /** Set for an agent's credential (and its bootstrap token): the Agent it acts as. */
  agent?: AgentBinding;
}

/**
 * The Agent a token is bound to. A credential carries `key` (the RFC 7638 thumbprint of the public
 * key enrolled) and is honoured only while the stored Agent has that uid and key and is not
 * revoked; a bootstrap token carries `generation` and is honoured only while the Agent is still
 * at it (enrolling changes the spec, so a bootstrap token works once).
 */
export const agentBinding = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  uid: z.string().min(1),
  key: z.string().optional(),
  generation: z.number().int().optional(),
});
export type AgentBinding = z.infer<typeof agentBinding>;
