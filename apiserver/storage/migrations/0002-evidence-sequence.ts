// Schema version 2: one EvidencePacket per (namespace, sequence). The evidence chain of a
// namespace is strictly linear; apiservers sharing a database serialize their creates through
// this index: stella_write's INSERT ... ON CONFLICT DO NOTHING treats a sequence already stored
// like a taken key ('exists'), and the sealer then re-reads the head and seals the next sequence.
import type { Migration } from "../migrations.ts";

/** The unique index on evidence sequences. */
export const evidenceSequenceIndex: Migration = {
  version: 2,
  name: "evidence-sequence",
  statements: [
    `CREATE UNIQUE INDEX stella_evidence_sequence ON stella_objects (namespace, (data #>> '{spec,seal,sequence}'))
       WHERE resource = 'evidencepackets' AND data #>> '{spec,seal,sequence}' IS NOT NULL`,
  ],
};
