// Release: an immutable set of components, each an image that is pinned by digest or resolved to
// one exactly once by the release controller; status records the digests and their verification.
import { z } from "zod";
import { condition, dnsLabel, kindSchema, localObjectReference, secretKeyRef, timestamp } from "./meta.ts";
import { digest, imageReference } from "./image.ts";
import { healthCheck, portName, portNumber, probePortName } from "./health-check.ts";
import { requireUnique, valueNotFound, forbidField } from "./refinements.ts";
import type { KindInfo } from "./scheme-types.ts";

/** POSIX-ish environment variable names. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A port the component listens on. Stella assigns the host port and passes it in $PORT. */
export const componentPort = z.strictObject({
  name: portName.meta({
    description:
      "Name of the port, used by health checks and routers; its host port is in $PORT (first port) and $PORT_<NAME>.",
  }),
  containerPort: portNumber.meta({ description: "Port inside the container." }),
  protocol: z.enum(["TCP", "UDP"]).optional().meta({ description: "TCP (default) or UDP." }),
});

/** An environment variable: a literal value or a Secret key. */
export const envVar = z
  .strictObject({
    name: z
      .string()
      .regex(ENV_NAME, "must be a valid environment variable name: letters, digits and '_', not starting with a digit"),
    value: z.string().optional(),
    valueFrom: z
      .strictObject({ secretKeyRef: secretKeyRef.extend({ key: z.string().min(1) }) })
      .optional()
      .meta({
        description: "Take the value from a Secret key at deploy time; it never appears in status or evidence.",
      }),
  })
  .superRefine((env, ctx) => {
    if (env.value !== undefined && env.valueFrom !== undefined)
      forbidField(ctx, ["valueFrom"], "may not be set together with value");
  });

/** One container of a release. */
export const releaseComponent = z
  .strictObject({
    name: dnsLabel.meta({ description: "Name of the component, unique in the release." }),
    image: imageReference.meta({
      description:
        "repository:tag (resolved to a digest once, by the release controller) or repository@sha256:<64 hex digits> (used as is).",
    }),
    command: z.array(z.string()).optional().meta({ description: "Entrypoint override." }),
    args: z.array(z.string()).optional().meta({ description: "Arguments to the entrypoint." }),
    workingDir: z.string().optional(),
    user: z.string().optional().meta({ description: "User (and group) to run as, as `docker run --user` takes it." }),
    ports: z.array(componentPort).optional(),
    env: z.array(envVar).optional(),
    healthCheck: healthCheck.optional(),
  })
  .superRefine((component, ctx) => {
    requireUnique(ctx, component.ports, "name", ["ports"]);
    requireUnique(ctx, component.env, "name", ["env"]);
    const port = component.healthCheck && probePortName(component.healthCheck);
    if (port !== undefined && !component.ports?.some((p) => p.name === port)) {
      const probe = component.healthCheck?.http ? "http" : "tcp";
      valueNotFound(ctx, ["healthCheck", probe, "port"], port, "must name one of the component's ports");
    }
  });
export type ReleaseComponent = z.infer<typeof releaseComponent>;

/** Release.spec. */
export const releaseSpec = z
  .strictObject({
    version: z.string().min(1).max(128).meta({ description: "The version this release ships, e.g. 1.4.0." }),
    description: z.string().optional(),
    source: z
      .strictObject({
        repository: z.string().min(1).optional().meta({ description: "Source repository URL." }),
        commit: z
          .string()
          .regex(/^[0-9a-f]{7,64}$/, "must be a commit hash: 7 to 64 lowercase hex digits")
          .optional(),
        ref: z.string().optional().meta({ description: "Branch or tag the commit was built from." }),
      })
      .optional()
      .meta({ description: "Where the release was built from (informational, recorded in evidence)." }),
    components: z
      .array(releaseComponent)
      .min(1, "must have at least one component")
      .meta({ description: "The containers of the release; at least one." }),
    imagePullSecrets: z
      .array(localObjectReference)
      .optional()
      .meta({ description: "Secrets with registry credentials for resolving and pulling the images." }),
    verification: z
      .strictObject({
        plugin: z.string().min(1).optional().meta({ description: "Verification plugin; cosign when omitted." }),
        publicKeySecretRef: secretKeyRef.meta({
          description: "Secret key holding the public key signatures must verify against.",
        }),
      })
      .optional()
      .meta({
        description:
          "Require a valid signature for every image digest; the release is not deployable until Verified=True.",
      }),
  })
  .superRefine((spec, ctx) => requireUnique(ctx, spec.components, "name", ["components"]));
export type ReleaseSpec = z.infer<typeof releaseSpec>;

/** The phases of a release's resolution. */
export const RELEASE_PHASES = ["Pending", "Resolving", "Resolved", "Failed"] as const;
export type ReleasePhase = (typeof RELEASE_PHASES)[number];

/** Condition types of a Release. */
export const ReleaseConditions = { Resolved: "Resolved", Verified: "Verified", Ready: "Ready" } as const;

/** What one component resolved to. */
export const resolvedComponent = z.strictObject({
  name: z.string(),
  image: z.string().meta({ description: "The image as the spec gives it." }),
  digest: digest,
  imageRef: z
    .string()
    .meta({ description: "The pinned reference repository@sha256:..., the only form anything deploys." }),
  resolvedAt: timestamp.optional(),
  signature: z
    .strictObject({
      verified: z.boolean(),
      keyId: z.string().optional(),
      message: z.string().optional(),
      verifiedAt: timestamp.optional(),
    })
    .optional(),
});
export type ResolvedComponent = z.infer<typeof resolvedComponent>;

/** The signature verdict on one component's digest (spec.verification). */
export const componentSignature = z.strictObject({
  name: z.string().meta({ description: "The component." }),
  digest: digest.meta({ description: "The digest the verdict is about." }),
  verified: z.boolean(),
  reason: z
    .string()
    .optional()
    .meta({ description: "Verified, Unsigned, SignatureInvalid, DigestMismatch, KeyInvalid, ..." }),
  message: z.string().optional(),
  keyId: z
    .string()
    .optional()
    .meta({ description: "Fingerprint of the public key: sha256 of its DER SubjectPublicKeyInfo." }),
  verifiedAt: timestamp.optional().meta({ description: "When this verdict was reached." }),
});
export type ComponentSignature = z.infer<typeof componentSignature>;

/** Release.status. */
export const releaseStatus = z.strictObject({
  observedGeneration: z.number().int().optional(),
  conditions: z.array(condition).optional(),
  phase: z.enum(RELEASE_PHASES).optional(),
  components: z
    .array(resolvedComponent)
    .optional()
    .meta({ description: "Digest of every component, recorded once and never re-resolved." }),
  resolvedAt: timestamp.optional().meta({ description: "When the last component was resolved." }),
  signatures: z.array(componentSignature).optional().meta({
    description:
      "Signature verdict per component when spec.verification requires signatures; re-checked until every digest verifies.",
  }),
});
export type ReleaseStatus = z.infer<typeof releaseStatus>;

/** A full Release object. */
export const releaseSchema = kindSchema("Release", releaseSpec, releaseStatus);
export type Release = z.infer<typeof releaseSchema>;

/** Registration of the Release kind. */
export const releaseKind: KindInfo = {
  kind: "Release",
  plural: "releases",
  singular: "release",
  shortNames: ["rel"],
  namespaced: true,
  categories: ["all", "stella"],
  schema: releaseSchema,
  hasStatus: true,
  printerColumns: [
    { name: "Version", type: "string", jsonPath: ".spec.version" },
    { name: "Resolved", type: "string", jsonPath: '.status.conditions[?(@.type=="Resolved")].status' },
    { name: "Components", type: "string", jsonPath: ".spec.components[*].name" },
    { name: "Verified", type: "string", jsonPath: '.status.conditions[?(@.type=="Verified")].status', priority: 1 },
    { name: "Phase", type: "string", jsonPath: ".status.phase", priority: 1 },
  ],
  selectableFields: ["spec.version", "status.phase"],
  description:
    "An immutable set of components, each an image pinned by digest (tags are resolved to digests once, by the release controller), with ports, environment and health checks. Status shows resolution and signature verification.",
};
