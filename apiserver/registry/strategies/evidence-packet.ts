// Evidence is write-once: a packet's content never changes after it is created, and it is never
// deleted (retention is a later feature). The seal is the server's: whatever a client sends in
// spec.seal is dropped before validation, and the sealer (apiserver/evidence) adds the real one.
import type { StatusCause } from "../../../crds/errors.ts";
import { canonicalBytes } from "../../../crds/evidence-seal.ts";
import type { StellaObject } from "../../../crds/meta.ts";
import type { Strategy } from "../strategy.ts";
import { immutableFields } from "./immutable.ts";

type PacketLike = { spec?: { seal?: unknown } };

// Evidence outlives what it is about: an owner's deletion must never cascade into it.
const noOwners = (obj: StellaObject): StatusCause[] =>
  (obj.metadata.ownerReferences ?? []).length > 0
    ? [
        {
          reason: "FieldValueForbidden",
          field: "metadata.ownerReferences",
          message: "evidence packets can not have owners (they outlive what they record)",
        },
      ]
    : [];

/**
 * EvidencePacket: client seals dropped, content canonicalizable, no owners, nothing but labels/annotations/finalizers
 * may change, no delete.
 */
export const evidencePacketStrategy: Strategy = {
  defaults(obj) {
    const spec = (obj as PacketLike).spec;
    if (spec && typeof spec === "object") delete spec.seal;
  },
  validateCreate(obj) {
    try {
      canonicalBytes((obj as PacketLike).spec ?? {});
      return noOwners(obj);
    } catch (err) {
      return [
        {
          reason: "FieldValueInvalid",
          field: "spec",
          message: `must be JSON that RFC 8785 can canonicalize (${(err as Error).message.replace(/^not canonicalizable as JSON: /, "")})`,
        },
        ...noOwners(obj),
      ];
    }
  },
  validateUpdate(next, old, subresource) {
    const paths = subresource === "status" ? ["status"] : ["spec"];
    return [...immutableFields(next, old, paths, "(evidence packets are write-once)"), ...noOwners(next)];
  },
  forbidDelete(obj) {
    return `evidencepackets "${obj.metadata.name}" is write-once sealed evidence and can not be deleted`;
  },
};
