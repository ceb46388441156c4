// Evidence is write-once: a packet's content never changes after it is created.
import type { Strategy } from "../strategy.ts";
import { immutableFields } from "./immutable.ts";

/** EvidencePacket: nothing but metadata labels/annotations/finalizers may change after create. */
export const evidencePacketStrategy: Strategy = {
  validateUpdate(next, old, subresource) {
    const paths = subresource === "status" ? ["status"] : ["spec"];
    return immutableFields(next, old, paths, "(evidence packets are write-once)");
  },
};
