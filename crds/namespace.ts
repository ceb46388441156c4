// Namespace: the core v1 kind, cluster-scoped, so `kubectl create namespace shop` works unchanged.
import { z } from "zod";
import { condition, dnsLabel, objectMeta } from "./meta.ts";
import type { KindInfo } from "./scheme-types.ts";

/** The core API group (empty), which Namespace belongs to. */
export const CORE_GROUP = "";
/** The core group's version. */
export const CORE_VERSION = "v1";

/** The phases of a namespace. */
export const NAMESPACE_PHASES = ["Active", "Terminating"] as const;
export type NamespacePhase = (typeof NAMESPACE_PHASES)[number];

/** Namespace.spec. */
export const namespaceSpec = z.strictObject({
  finalizers: z
    .array(z.string())
    .optional()
    .meta({ description: "Must be empty before the namespace is removed from storage." }),
});

/** Namespace.status. */
export const namespaceStatus = z.strictObject({
  phase: z.enum(NAMESPACE_PHASES).optional(),
  conditions: z.array(condition).optional(),
});

/** A full Namespace object; its name is a DNS label. */
export const namespaceSchema = z.strictObject({
  apiVersion: z.literal(CORE_VERSION),
  kind: z.literal("Namespace"),
  metadata: objectMeta.extend({ name: dnsLabel.optional().meta({ description: "A DNS label." }) }),
  spec: namespaceSpec.optional(),
  status: namespaceStatus.optional(),
});
export type Namespace = z.infer<typeof namespaceSchema>;

/** Registration of the Namespace kind (core group, cluster-scoped). */
export const namespaceKind: KindInfo = {
  kind: "Namespace",
  plural: "namespaces",
  singular: "namespace",
  shortNames: ["ns"],
  namespaced: false,
  group: CORE_GROUP,
  version: CORE_VERSION,
  schema: namespaceSchema,
  hasStatus: true,
  printerColumns: [{ name: "Status", type: "string", jsonPath: ".status.phase" }],
  selectableFields: ["status.phase"],
  description: "A scope for names, roles and the evidence chain. Deleting one deletes everything in it.",
};
