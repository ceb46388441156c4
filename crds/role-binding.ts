// RoleBinding: grants one of Stella's fixed roles in a namespace to users and groups.
import { z } from "zod";
import { kindSchema } from "./meta.ts";
import type { KindInfo } from "./scheme-types.ts";

/** The roles, from most to least powerful for people, then the two machine roles. */
export const ROLES = ["admin", "operator", "approver", "viewer", "controller", "agent"] as const;
export type Role = (typeof ROLES)[number];

/** Who a binding applies to. */
export const SUBJECT_KINDS = ["User", "Group"] as const;

/** One user or group. */
export const roleSubject = z.strictObject({
  kind: z.enum(SUBJECT_KINDS),
  name: z.string().min(1).meta({ description: "The user name (token subject) or group name." }),
});
export type RoleSubject = z.infer<typeof roleSubject>;

/** RoleBinding.spec. */
export const roleBindingSpec = z.strictObject({
  role: z.enum(ROLES).meta({ description: "admin, operator, approver, viewer, controller or agent." }),
  subjects: z.array(roleSubject).min(1).meta({ description: "Users and groups granted the role in this namespace." }),
});
export type RoleBindingSpec = z.infer<typeof roleBindingSpec>;

/** RoleBinding has no status. */
export const roleBindingStatus = z.strictObject({});

/** A full RoleBinding object. */
export const roleBindingSchema = kindSchema("RoleBinding", roleBindingSpec, roleBindingStatus);
export type RoleBinding = z.infer<typeof roleBindingSchema>;

/** Registration of the RoleBinding kind. */
export const roleBindingKind: KindInfo = {
  kind: "RoleBinding",
  plural: "rolebindings",
  singular: "rolebinding",
  shortNames: [],
  namespaced: true,
  categories: ["stella"],
  schema: roleBindingSchema,
  hasStatus: false,
  printerColumns: [
    { name: "Role", type: "string", jsonPath: ".spec.role" },
    { name: "Subjects", type: "string", jsonPath: ".spec.subjects[*].name" },
  ],
  selectableFields: ["spec.role"],
  description:
    "Grants a role (admin, operator, approver, viewer, controller, agent) in this namespace to users and groups.",
};
