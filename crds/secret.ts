// Secret: credentials by key, shaped like core/v1 Secret (top-level data/stringData, no spec).
// The apiserver encrypts values at rest and folds stringData into data on write.
import { z } from "zod";
import { API_VERSION, objectMeta } from "./meta.ts";
import { invalidValue } from "./refinements.ts";
import type { KindInfo } from "./scheme-types.ts";

/** Secret keys, as Kubernetes allows them: letters, digits, '-', '_' and '.'. */
export const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** The most a Secret may hold across data and stringData, as in Kubernetes. */
export const SECRET_MAX_BYTES = 1024 * 1024;

/** Well-known secret types; any other non-empty type is allowed and means Opaque to Stella. */
export const SecretTypes = {
  Opaque: "Opaque",
  BasicAuth: "kubernetes.io/basic-auth",
  SshAuth: "kubernetes.io/ssh-auth",
  Tls: "kubernetes.io/tls",
  DockerConfigJson: "kubernetes.io/dockerconfigjson",
} as const;

const secretKey = z.string().max(253).regex(SECRET_KEY, "must consist of alphanumeric characters, '-', '_' or '.'");

/** A full Secret object. */
export const secretSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal("Secret"),
    metadata: objectMeta,
    type: z.string().min(1).optional().meta({ description: "What the secret holds; Opaque when omitted." }),
    data: z.record(secretKey, z.base64()).optional().meta({ description: "Values by key, base64-encoded." }),
    stringData: z
      .record(secretKey, z.string())
      .optional()
      .meta({ description: "Write-only convenience: plain values, merged into data on write (they win over data)." }),
    immutable: z
      .boolean()
      .optional()
      .meta({ description: "When true, data can no longer change; only deletion remains." }),
  })
  .superRefine((secret, ctx) => {
    let bytes = 0;
    for (const value of Object.values(secret.data ?? {})) bytes += Math.floor((value.length * 3) / 4);
    for (const value of Object.values(secret.stringData ?? {})) bytes += new TextEncoder().encode(value).length;
    if (bytes > SECRET_MAX_BYTES)
      invalidValue(ctx, ["data"], `<${bytes} bytes>`, `may not hold more than ${SECRET_MAX_BYTES} bytes`);
  });
export type Secret = z.infer<typeof secretSchema>;

/** Registration of the Secret kind. */
export const secretKind: KindInfo = {
  kind: "Secret",
  plural: "secrets",
  singular: "secret",
  shortNames: [],
  namespaced: true,
  categories: ["stella"],
  schema: secretSchema,
  hasStatus: false,
  printerColumns: [{ name: "Type", type: "string", jsonPath: ".type" }],
  selectableFields: ["type"],
  description:
    "Credentials by key (registry logins, SSH keys, tokens). Values are encrypted at rest, readable only by the admin and controller roles, and never appear in status, events, logs or evidence.",
};
