// Lease: leader election for controllers and heartbeats for agents, shaped like coordination/v1.
import { z } from "zod";
import { kindSchema, timestamp } from "./meta.ts";
import type { KindInfo } from "./scheme-types.ts";

/** Lease.spec, field for field coordination.k8s.io/v1 LeaseSpec. */
export const leaseSpec = z.strictObject({
  holderIdentity: z.string().optional().meta({ description: "Identity of the current holder." }),
  leaseDurationSeconds: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: "How long others wait after renewTime before taking the lease." }),
  acquireTime: timestamp.optional().meta({ description: "When the current holder acquired the lease." }),
  renewTime: timestamp.optional().meta({ description: "When the holder last renewed the lease." }),
  leaseTransitions: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "How many times the lease changed holders." }),
  preferredHolder: z.string().optional().meta({ description: "A holder the current one should hand over to." }),
  strategy: z.string().optional().meta({ description: "Strategy for picking leaders in coordinated election." }),
});
export type LeaseSpec = z.infer<typeof leaseSpec>;

/** Lease has no status. */
export const leaseStatus = z.strictObject({});

/** A full Lease object. */
export const leaseSchema = kindSchema("Lease", leaseSpec, leaseStatus);
export type Lease = z.infer<typeof leaseSchema>;

/** Registration of the Lease kind. */
export const leaseKind: KindInfo = {
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  shortNames: [],
  namespaced: true,
  categories: ["stella"],
  schema: leaseSchema,
  hasStatus: false,
  printerColumns: [
    { name: "Holder", type: "string", jsonPath: ".spec.holderIdentity" },
    { name: "Renewed", type: "date", jsonPath: ".spec.renewTime", priority: 1 },
  ],
  selectableFields: ["spec.holderIdentity"],
  description:
    "Leader election for controllers and heartbeats for agents: who holds the lease and when they last renewed it.",
};
