// EvidencePacket: a sealed, signed, write-once record of one decision. The writer supplies what was
// decided; the server seals it: an in-toto Statement (subjects = the release's image digests) in a
// DSSE envelope signed with Ed25519, chained to the namespace's previous packet by hash.
import { z } from "zod";
import { dnsSubdomain, kindSchema, timestamp, userInfo } from "./meta.ts";
import { digest } from "./image.ts";
import { GATE_VERDICTS } from "./promotion.ts";
import { measurement } from "./metric.ts";
import type { KindInfo } from "./scheme-types.ts";

/** The in-toto Statement type the envelope's payload carries. */
export const IN_TOTO_STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/** The predicate type of Stella evidence. */
export const EVIDENCE_PREDICATE_TYPE = "https://stella.io/evidence/v1";
/** The DSSE payloadType of the envelope. */
export const DSSE_PAYLOAD_TYPE = "application/vnd.in-toto+json";

/** The decisions that produce evidence. */
export const EVIDENCE_TYPES = [
  "PromotionDecision",
  "Approval",
  "Rejection",
  "GateVerdict",
  "DeploymentOutcome",
  "Rollback",
  "CanaryDecision",
  "PolicyChange",
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

const hex64 = z.string().regex(/^[a-f0-9]{64}$/, "must be 64 lowercase hex digits");

/** An in-toto subject: one image and its digest. */
export const evidenceSubject = z.strictObject({
  name: z.string().min(1).meta({ description: "The image repository (or component name)." }),
  digest: z.strictObject({ sha256: hex64 }),
});

/** The DSSE envelope: base64 payload and its signatures. */
export const dsseEnvelope = z.strictObject({
  payloadType: z.string().min(1),
  payload: z.base64().meta({ description: "The canonical (RFC 8785) JSON of the in-toto Statement, base64." }),
  signatures: z.array(z.strictObject({ keyid: z.string().optional(), sig: z.base64() })).min(1),
});
export type DsseEnvelope = z.infer<typeof dsseEnvelope>;

/** What the server adds when it seals a packet; never sent by clients. */
export const evidenceSeal = z.strictObject({
  sequence: z.number().int().min(0).meta({ description: "Position in the namespace's chain, from 0." }),
  previousDigest: digest
    .optional()
    .meta({ description: "Digest of the previous packet's payload in the namespace; absent for the first." }),
  digest: digest.meta({ description: "sha256 of this packet's payload." }),
  keyId: z.string().min(1).meta({ description: "Which signing key sealed it." }),
  sealedAt: timestamp,
  envelope: dsseEnvelope,
});
export type EvidenceSeal = z.infer<typeof evidenceSeal>;

/** EvidencePacket.spec: the decision and everything it was based on, then the seal. Secrets never appear here. */
export const evidencePacketSpec = z.strictObject({
  type: z.enum(EVIDENCE_TYPES),
  subject: z
    .strictObject({
      apiVersion: z.string().optional(),
      kind: z.string().min(1),
      name: dnsSubdomain,
      uid: z.string().optional(),
    })
    .meta({ description: "The object the decision is about (a Promotion, Deployment, Canary or Environment)." }),
  release: dnsSubdomain.optional(),
  environment: dnsSubdomain.optional(),
  decision: z.strictObject({
    outcome: z
      .string()
      .min(1)
      .meta({ description: "What was decided: Approved, Rejected, Passed, Failed, Succeeded, RolledBack, ..." }),
    reason: z.string().optional(),
    message: z.string().optional(),
  }),
  actor: userInfo
    .optional()
    .meta({ description: "Who decided: the approver from their token, or the controller's identity." }),
  decidedAt: timestamp.optional(),
  subjects: z
    .array(evidenceSubject)
    .optional()
    .meta({ description: "The release's image digests, the in-toto subjects." }),
  policy: z
    .strictObject({ name: z.string().optional(), digest: digest.optional() })
    .optional()
    .meta({ description: "The policy in force and the digest of its canonical form." }),
  gates: z
    .array(
      z.strictObject({
        name: z.string(),
        verdict: z.enum(GATE_VERDICTS),
        message: z.string().optional(),
        inputs: z.record(z.string(), z.unknown()).optional().meta({ "x-kubernetes-preserve-unknown-fields": true }),
      }),
    )
    .optional(),
  measurements: z
    .array(z.strictObject({ metric: z.string(), measurement }))
    .optional()
    .meta({ description: "Analysis measurements the decision rests on." }),
  artifacts: z
    .array(z.strictObject({ name: z.string(), type: z.string().optional(), digest }))
    .optional()
    .meta({ description: "Digests of the generated artifacts (compose file, task definition, job)." }),
  details: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: "Anything else the decision rests on.", "x-kubernetes-preserve-unknown-fields": true }),
  seal: evidenceSeal
    .optional()
    .meta({ description: "Set by the server when it seals the packet; any value sent is replaced." }),
});
export type EvidencePacketSpec = z.infer<typeof evidencePacketSpec>;

/** An in-toto Statement as it is signed (the decoded DSSE payload). */
export const inTotoStatement = z.strictObject({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  subject: z.array(evidenceSubject),
  predicateType: z.string().min(1),
  predicate: z.record(z.string(), z.unknown()),
});
export type InTotoStatement = z.infer<typeof inTotoStatement>;

/** EvidencePacket has no status: it is write-once. */
export const evidencePacketStatus = z.strictObject({});

/** A full EvidencePacket object. */
export const evidencePacketSchema = kindSchema("EvidencePacket", evidencePacketSpec, evidencePacketStatus);
export type EvidencePacket = z.infer<typeof evidencePacketSchema>;

/** Registration of the EvidencePacket kind. */
export const evidencePacketKind: KindInfo = {
  kind: "EvidencePacket",
  plural: "evidencepackets",
  singular: "evidencepacket",
  shortNames: ["ev"],
  namespaced: true,
  categories: ["stella"],
  schema: evidencePacketSchema,
  hasStatus: false,
  printerColumns: [
    { name: "Type", type: "string", jsonPath: ".spec.type" },
    { name: "Subject", type: "string", jsonPath: ".spec.subject.name" },
    { name: "Outcome", type: "string", jsonPath: ".spec.decision.outcome" },
    { name: "Release", type: "string", jsonPath: ".spec.release" },
    { name: "Seq", type: "integer", jsonPath: ".spec.seal.sequence" },
    { name: "Actor", type: "string", jsonPath: ".spec.actor.username", priority: 1 },
    { name: "Digest", type: "string", jsonPath: ".spec.seal.digest", priority: 1 },
  ],
  selectableFields: ["spec.type", "spec.release", "spec.environment", "spec.subject.name"],
  immutableFields: ["spec"],
  description:
    "A sealed, signed, write-once record of one decision (approval, gate verdict, deployment outcome, rollback): an in-toto Statement in a DSSE envelope signed with Ed25519, hash-chained per namespace.",
};
