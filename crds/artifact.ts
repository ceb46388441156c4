// Artifact: one generated file (a container spec, a compose file, a Nomad job, an ECS task
// definition) stored content-addressed and write-once, so any deployment can be inspected and
// replayed exactly. Its name is its digest: `sha256-<hex>` of the UTF-8 bytes of spec.content.
import { createHash } from "node:crypto";
import { z } from "zod";
import { kindSchema } from "./meta.ts";
import { invalidValue } from "./refinements.ts";
import type { KindInfo } from "./scheme-types.ts";

/** What a driver may generate. */
export const ARTIFACT_TYPES = ["container-spec", "compose-file", "nomad-job", "ecs-task-definition"] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

/** The name of every Artifact: `sha256-` and the 64 lowercase hex digits of its content's sha256. */
export const ARTIFACT_NAME = /^sha256-[a-f0-9]{64}$/;

// A lone UTF-16 surrogate has no UTF-8 encoding, so its bytes (and digest) would be ambiguous.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Artifact.spec: the exact text a driver generated and how to read it. */
export const artifactSpec = z.strictObject({
  type: z
    .enum(ARTIFACT_TYPES)
    .meta({ description: "What was generated: container-spec, compose-file, nomad-job or ecs-task-definition." }),
  mediaType: z
    .string()
    .min(1)
    .meta({ description: "How to read the content, e.g. application/json or application/yaml." }),
  content: z
    .string()
    .refine((s) => !LONE_SURROGATE.test(s), "must be valid UTF-8 text (no unpaired surrogate)")
    .meta({
      description:
        "The generated text, exactly; its UTF-8 bytes are what the name's digest covers. Holds Secret references, never Secret values.",
    }),
  size: z.number().int().min(0).meta({ description: "Number of bytes of content in UTF-8." }),
});
export type ArtifactSpec = z.infer<typeof artifactSpec>;

/** Artifact has no status: it is write-once. */
export const artifactStatus = z.strictObject({});

/** A full Artifact object; the name must have the digest form (the server checks it matches the content). */
export const artifactSchema = kindSchema("Artifact", artifactSpec, artifactStatus).superRefine((obj, ctx) => {
  const name = obj.metadata.name;
  if (name !== undefined && !ARTIFACT_NAME.test(name))
    invalidValue(
      ctx,
      ["metadata", "name"],
      name,
      "must be sha256- followed by the 64 lowercase hex digits of the content's sha256",
    );
});
export type Artifact = z.infer<typeof artifactSchema>;

/** The 64 lowercase hex digits of the sha256 of `content`'s UTF-8 bytes. */
export const contentHex = (content: string): string => createHash("sha256").update(content, "utf8").digest("hex");

/** The number of bytes of `content` in UTF-8 (what spec.size holds). */
export const contentSize = (content: string): number => Buffer.byteLength(content, "utf8");

/** `sha256:<hex>`: the digest Deployment.status.artifacts and unit labels carry. */
export const artifactDigest = (content: string): string => `sha256:${contentHex(content)}`;

/** The Artifact name for a digest: `sha256:<hex>` -> `sha256-<hex>`; undefined when it is not a sha256 digest. */
export function artifactNameOf(digest: string): string | undefined {
  const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
  return m ? `sha256-${m[1]}` : undefined;
}

/** The digest an Artifact name stands for: `sha256-<hex>` -> `sha256:<hex>`; undefined for another name. */
export const digestOfArtifactName = (name: string): string | undefined =>
  ARTIFACT_NAME.test(name) ? `sha256:${name.slice(7)}` : undefined;

/** What a driver rendered, as the Artifact object that stores it (name and size computed from the content). */
export function artifactFor(
  namespace: string,
  rendered: { type: ArtifactType; mediaType: string; content: string },
  labels?: Record<string, string>,
): Artifact {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Artifact",
    metadata: { name: `sha256-${contentHex(rendered.content)}`, namespace, ...(labels ? { labels } : {}) },
    spec: {
      type: rendered.type,
      mediaType: rendered.mediaType,
      content: rendered.content,
      size: contentSize(rendered.content),
    },
  };
}

/** Registration of the Artifact kind. */
export const artifactKind: KindInfo = {
  kind: "Artifact",
  plural: "artifacts",
  singular: "artifact",
  shortNames: [],
  namespaced: true,
  categories: ["stella"],
  schema: artifactSchema,
  hasStatus: false,
  printerColumns: [
    { name: "Type", type: "string", jsonPath: ".spec.type" },
    { name: "Size", type: "integer", jsonPath: ".spec.size", description: "Bytes of content." },
    { name: "Media Type", type: "string", jsonPath: ".spec.mediaType" },
  ],
  selectableFields: ["spec.type"],
  immutableFields: ["spec"],
  description:
    "A generated file (container spec, compose file, Nomad job, ECS task definition), stored write-once and content-addressed: its name is sha256- and the hex sha256 of the UTF-8 bytes of spec.content. Deployment.status.artifacts lists them by digest; `stella deployment artifacts` prints them exactly.",
};
