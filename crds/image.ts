// OCI image references: a repository with a tag, or pinned by digest (`repo@sha256:<64 hex>`).
// Digest-first release identity (DESIGN principle 1) rests on telling the two apart offline.
import { z } from "zod";

/** A sha256 content digest as registries report it: `sha256:` and 64 lowercase hex digits. */
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A content digest, e.g. the resolved digest of an image. */
export const digest = z
  .string()
  .regex(DIGEST, "must be sha256: followed by 64 lowercase hex digits")
  .meta({ description: "A content digest: sha256: followed by 64 lowercase hex digits." });

// The grammar of distribution/reference, restricted to sha256 digests.
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const REPOSITORY = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";

/** `repository[:tag][@sha256:<64 hex>]`; groups: 1 repository, 2 tag, 3 digest. */
export const IMAGE_REFERENCE = new RegExp(`^(${REPOSITORY})(?::(${TAG}))?(?:@(sha256:[a-f0-9]{64}))?$`);

/** The parts of an image reference. */
export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits a reference into repository, tag and digest; undefined when it is not a valid reference. */
export function parseImageReference(reference: string): ImageReference | undefined {
  const match = IMAGE_REFERENCE.exec(reference);
  if (!match) return undefined;
  const [, repository, tag, digestPart] = match;
  return { repository, ...(tag ? { tag } : {}), ...(digestPart ? { digest: digestPart } : {}) };
}

/** True when the reference names its bytes by digest, so no registry is needed to resolve it. */
export const isPinned = (reference: string): boolean => parseImageReference(reference)?.digest !== undefined;

/** The pinned form `repository@digest`, the only form anything deploys. */
export const pinnedReference = (repository: string, contentDigest: string): string => `${repository}@${contentDigest}`;

function problem(input: unknown): string {
  const text = typeof input === "string" ? input : "";
  const at = text.indexOf("@");
  if (at >= 0 && !DIGEST.test(text.slice(at + 1))) {
    return "malformed digest: a pinned image is repository@sha256:<64 lowercase hex digits>";
  }
  return "must be an image reference: repository[:tag] (resolved to a digest once) or repository@sha256:<64 hex digits>";
}

/** An image reference as a Release component gives it: by tag, or pinned by digest. */
export const imageReference = z
  .string()
  .max(512, "must be no more than 512 characters")
  .regex(IMAGE_REFERENCE, { error: (issue) => problem(issue.input) });
