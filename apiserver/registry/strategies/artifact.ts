// Artifacts are content-addressed and write-once: the name is the sha256 of the content, the size
// its byte count, and nothing in spec changes after create. Labels and annotations may; delete may.
import type { StatusCause } from "../../../crds/errors.ts";
import { ARTIFACT_NAME, contentHex, contentSize } from "../../../crds/artifact.ts";
import type { StellaObject } from "../../../crds/meta.ts";
import type { Strategy } from "../strategy.ts";
import { immutableFields } from "./immutable.ts";

/**
 * The causes for a name that is not `sha256-` + the hex sha256 of spec.content's UTF-8 bytes and
 * a size that is not their count. Malformed fields are left to the schema (one cause per field).
 */
export function artifactDigestCauses(obj: StellaObject): StatusCause[] {
  const spec = obj.spec as { content?: unknown; size?: unknown } | undefined;
  if (typeof spec?.content !== "string") return [];
  const causes: StatusCause[] = [];
  const name = obj.metadata?.name;
  const expected = `sha256-${contentHex(spec.content)}`;
  if (typeof name === "string" && ARTIFACT_NAME.test(name) && name !== expected)
    causes.push({
      reason: "FieldValueInvalid",
      field: "metadata.name",
      message: `Invalid value: "${name}": must be ${expected}, the sha256 of spec.content`,
    });
  const size = contentSize(spec.content);
  if (Number.isInteger(spec.size) && spec.size !== size)
    causes.push({
      reason: "FieldValueInvalid",
      field: "spec.size",
      message: `Invalid value: ${String(spec.size)}: must be ${size}, the number of bytes of spec.content in UTF-8`,
    });
  return causes;
}

/** Artifact: the digest and size must match the content on create; spec never changes afterwards. */
export const artifactStrategy: Strategy = {
  validateCreate: artifactDigestCauses,
  validateUpdate(next, old, subresource) {
    const paths = subresource === "status" ? ["status"] : ["spec"];
    return immutableFields(next, old, paths, "(artifacts are write-once)");
  },
};
