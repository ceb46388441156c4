// The parts every kind shares: ObjectMeta, conditions, label selectors, owner references.
// Schemas are strict: an unknown field is an error that names the field.
import { z } from "zod";
import { DURATION } from "./duration-value.ts";

/** The API group and version of every Stella kind. */
export const GROUP = "release.stella.io";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;

/** RFC 1123 DNS subdomain: what Kubernetes allows for most object names. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1123 DNS label: namespace names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const dnsSubdomain = z
  .string()
  .max(253, "must be no more than 253 characters")
  .regex(
    DNS_SUBDOMAIN,
    "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  );

const ipv4 = z.ipv4();
const ipv6 = z.ipv6();

/** An IPv4 or IPv6 address, or a DNS name: where something is reached, without scheme or port. */
export const hostAddress = z
  .string()
  .max(253, "must be no more than 253 characters")
  .refine((v) => DNS_SUBDOMAIN.test(v) || ipv4.safeParse(v).success || ipv6.safeParse(v).success, {
    message: "must be an IP address or a lowercase DNS name, without scheme or port",
  });

export const dnsLabel = z
  .string()
  .max(63, "must be no more than 63 characters")
  .regex(
    DNS_LABEL,
    "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  );

const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

export const labelKey = z
  .string()
  .regex(
    QUALIFIED_NAME,
    "must be a qualified name: an optional DNS prefix and '/', then up to 63 alphanumerics, '-', '_' or '.'",
  );
export const labels = z.record(
  labelKey,
  z.string().regex(LABEL_VALUE, "must be 63 characters or fewer, alphanumerics, '-', '_' or '.'"),
);
export const annotations = z.record(labelKey, z.string());

/** A Go-style duration as operators write it (defined with its parser in duration-value.ts). */
export { DURATION };
export const duration = z.string().regex(DURATION, "must be a duration such as 30s, 2m or 1h30m");

export const ownerReference = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof ownerReference>;

export const managedFieldsEntry = z.strictObject({
  manager: z.string().optional(),
  operation: z.enum(["Apply", "Update"]).optional(),
  apiVersion: z.string().optional(),
  time: z.string().optional(),
  fieldsType: z.string().optional(),
  fieldsV1: z.record(z.string(), z.unknown()).optional(),
  subresource: z.string().optional(),
});
export type ManagedFieldsEntry = z.infer<typeof managedFieldsEntry>;

/** ObjectMeta. The server owns uid, resourceVersion, generation and the timestamps. */
export const objectMeta = z.strictObject({
  name: dnsSubdomain.optional().meta({ description: "Unique within the namespace; a DNS subdomain." }),
  generateName: z.string().optional(),
  namespace: dnsLabel.optional().meta({ description: "The namespace; `default` when omitted." }),
  uid: z.string().optional(),
  resourceVersion: z.string().optional().meta({ description: "Opaque version for optimistic concurrency and watch." }),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.number().int().optional(),
  labels: labels.optional(),
  annotations: annotations.optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(ownerReference).optional(),
  managedFields: z.array(managedFieldsEntry).optional(),
});
export type ObjectMeta = z.infer<typeof objectMeta>;

export const conditionStatus = z.enum(["True", "False", "Unknown"]);

/** A Kubernetes condition (metav1.Condition). */
export const condition = z.strictObject({
  type: z.string().min(1),
  status: conditionStatus,
  reason: z.string().optional(),
  message: z.string().optional(),
  observedGeneration: z.number().int().optional(),
  lastTransitionTime: z.string().optional(),
});
export type Condition = z.infer<typeof condition>;

export const labelSelectorRequirement = z.strictObject({
  key: labelKey,
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
  values: z.array(z.string()).optional(),
});

export const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(labelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof labelSelector>;

/** A reference to one key of a Secret in the same namespace. */
export const secretKeyRef = z.strictObject({
  name: dnsSubdomain,
  key: z.string().min(1).optional(),
});

/** The common envelope of any Stella object, before its kind narrows spec and status. */
export interface StellaObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

/** Builds the strict top-level schema of a kind from its spec and status schemas. */
export function kindSchema<K extends string, S extends z.ZodType, T extends z.ZodType>(kind: K, spec: S, status: T) {
  return z.strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(kind),
    metadata: objectMeta,
    spec,
    status: status.optional(),
  });
}

/** An RFC 3339 timestamp with a zone (`2024-05-01T12:00:00Z`); fractional seconds allowed. */
export const timestamp = z.iso.datetime({
  offset: true,
  error: "must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z",
});

/** A reference by name to another object of a known kind in the same namespace. */
export const localObjectReference = z.strictObject({
  name: dnsSubdomain.meta({ description: "Name of the referenced object in the same namespace." }),
});
export type LocalObjectReference = z.infer<typeof localObjectReference>;

/** Who did something, as the server learned it from a token (never from a request body). */
export const userInfo = z.strictObject({
  username: z.string().min(1).meta({ description: "The authenticated user name (the token subject)." }),
  uid: z.string().optional().meta({ description: "A stable identifier of the user, when the token carries one." }),
  groups: z.array(z.string()).optional().meta({ description: "Groups the user belonged to at the time." }),
});
export type UserInfo = z.infer<typeof userInfo>;
