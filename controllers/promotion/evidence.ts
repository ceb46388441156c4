// The evidence a promotion leaves, built from its stored status (a decision is recorded in status
// first and becomes evidence afterwards, so a packet never tells of a decision that a conflicting
// write undid): a GateVerdict per final gate verdict, an Approval or Rejection per entry of
// status.approvals, and one PromotionDecision for the outcome. Each packet's name is derived from
// the promotion's uid and what it records, so a packet written before a crash is found again
// (AlreadyExists) instead of being written twice; status.evidence lists the names in order.
import { createHash } from "node:crypto";
import type { Deployment } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import { policyDigest } from "../../crds/environment-policy.ts";
import type { EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import type { Approval, GateStatus, Promotion } from "../../crds/promotion.ts";
import type { Release } from "../../crds/release.ts";
import { packetName, releaseSubjects } from "../evidence/index.ts";
import { findCondition } from "../runtime/index.ts";

/** The controller's identity in evidence. */
export const PROMOTION_ACTOR = "system:controller:promotion";

/** What a packet is built from. */
export interface EvidenceContext {
  promotion: Promotion;
  environment?: Environment;
  release?: Release;
  deployment?: Deployment;
}

/** A packet to record. */
export interface PacketDraft {
  name: string;
  spec: EvidencePacketSpec;
  labels: Record<string, string>;
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * The policy in force: the environment's name and the digest of its policy fields
 * (crds/environment-policy.ts), the same digest an approval binds to.
 */
export function policyOf(env: Environment | undefined): EvidencePacketSpec["policy"] {
  if (!env) return undefined;
  return { name: env.metadata.name, digest: policyDigest(env.spec) };
}

/** The packet name for what `kind`/`key` records about promotion `p`: readable, and unique per promotion uid. */
export function evidenceName(p: Promotion, kind: string, key = ""): string {
  const hash = sha256(`${p.metadata.uid ?? p.metadata.name}\0${kind}\0${key}`).slice(0, 10);
  return packetName("promotion", (p.metadata.name ?? "").slice(0, 150), kind, key.slice(0, 40), hash);
}

/** A label value: as is when valid, else shortened and suffixed with a hash. */
export function labelValue(value: string): string {
  if (/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/.test(value)) return value;
  return `${value
    .slice(0, 52)
    .replace(/[^A-Za-z0-9_.-]/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")}-${sha256(value).slice(0, 10)}`.replace(/^-/, "x-");
}

/** The labels every packet of `p` carries. */
export const promotionLabels = (p: Promotion): Record<string, string> => ({
  "stella.io/promotion": labelValue(p.metadata.name ?? ""),
  "stella.io/release": labelValue(p.spec.release),
  "stella.io/environment": labelValue(p.spec.environment),
});

const SECRET_KEY = /secret|token|password|passwd|credential|authorization|api[-_]?key|private/i;

/**
 * `value` with every string under a key that names a secret replaced: gate inputs come from plugins. References (…Ref,
 * …Name) stay.
 */
export function redact(value: unknown, key = ""): unknown {
  if (typeof value === "string") return SECRET_KEY.test(key) && !/(Ref|Name)$/.test(key) ? "[redacted]" : value;
  if (Array.isArray(value)) return value.map((v) => redact(v, key));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  return value;
}

function base(ctx: EvidenceContext, type: EvidencePacketSpec["type"]): Omit<EvidencePacketSpec, "decision"> {
  const p = ctx.promotion;
  return {
    type,
    subject: {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Promotion",
      name: p.metadata.name ?? "",
      ...(p.metadata.uid ? { uid: p.metadata.uid } : {}),
    },
    release: p.spec.release,
    environment: p.spec.environment,
    subjects: ctx.release ? releaseSubjects(ctx.release) : [],
    ...(ctx.environment ? { policy: policyOf(ctx.environment) } : {}),
  };
}

const gateEntry = (g: GateStatus) => ({
  name: g.name,
  verdict: g.verdict,
  ...(g.message ? { message: g.message } : {}),
  ...(g.inputs ? { inputs: redact(g.inputs) as Record<string, unknown> } : {}),
});

/** A GateVerdict packet for final gate `gate`. */
export function gateVerdictPacket(ctx: EvidenceContext, gate: GateStatus): PacketDraft {
  const spec: EvidencePacketSpec = {
    ...base(ctx, "GateVerdict"),
    decision: {
      outcome: gate.verdict,
      reason: gate.type ?? gate.name,
      ...(gate.message ? { message: gate.message } : {}),
    },
    actor: { username: PROMOTION_ACTOR },
    ...(gate.evaluatedAt ? { decidedAt: gate.evaluatedAt } : {}),
    gates: [gateEntry(gate)],
    details: { gate: gate.name, type: gate.type ?? gate.name, rollback: ctx.promotion.spec.rollback ?? false },
  };
  return { name: evidenceName(ctx.promotion, "gate", gate.name), spec, labels: promotionLabels(ctx.promotion) };
}

/**
 * The name of the packet for approval entry `a`. What it was given for is part of the key: one
 * person may approve again within the same second once the release's bytes or the policy changed.
 */
export const approvalEvidenceName = (p: Promotion, a: Approval): string => {
  const given = a.binding ? `\0${a.binding.release}\0${a.binding.digests.join(",")}\0${a.binding.policyDigest}` : "";
  const key = `${a.user.username}\0${a.decision}\0${a.time}${given}`;
  return evidenceName(p, a.decision === "Rejected" ? "rejection" : "approval", key);
};

/**
 * An Approval or Rejection packet for entry `a` of status.approvals; the actor is the approver from
 * their token. Its policy digest and details.binding are what the decision was given for (recorded
 * by the apiserver at decision time), not what is in force when the packet is written.
 */
export function approvalPacket(ctx: EvidenceContext, a: Approval): PacketDraft {
  const envName = ctx.environment ? { name: ctx.environment.metadata.name } : {};
  const given = a.binding ? { policy: { ...envName, digest: a.binding.policyDigest } } : {};
  const spec: EvidencePacketSpec = {
    ...base(ctx, a.decision === "Rejected" ? "Rejection" : "Approval"),
    ...given,
    decision: { outcome: a.decision, ...(a.comment ? { message: a.comment } : {}) },
    actor: a.user,
    decidedAt: a.time,
    details: {
      approvalsRequired: ctx.promotion.status?.approvalsRequired ?? 0,
      requestedBy: ctx.promotion.spec.requestedBy?.username ?? null,
      binding: a.binding ?? null,
    },
  };
  return { name: approvalEvidenceName(ctx.promotion, a), spec, labels: promotionLabels(ctx.promotion) };
}

/** The name of a promotion's PromotionDecision packet. */
export const decisionEvidenceName = (p: Promotion): string => evidenceName(p, "decision", p.status?.phase ?? "");

/** The PromotionDecision packet for a promotion whose stored status is terminal. */
export function decisionPacket(ctx: EvidenceContext): PacketDraft {
  const p = ctx.promotion;
  const s = p.status ?? {};
  const complete = findCondition(s.conditions, "Complete");
  const d = ctx.deployment;
  const spec: EvidencePacketSpec = {
    ...base(ctx, "PromotionDecision"),
    decision: {
      outcome: s.phase ?? "Pending",
      ...(complete?.reason ? { reason: complete.reason } : {}),
      ...(s.message ? { message: s.message } : {}),
    },
    actor: { username: PROMOTION_ACTOR },
    ...(s.completedAt ? { decidedAt: s.completedAt } : {}),
    gates: (s.gates ?? []).map(gateEntry),
    artifacts: (d?.status?.artifacts ?? []).map((a) => ({
      name: [a.target, a.component ?? a.type].filter(Boolean).join("/"),
      type: a.type,
      digest: a.digest,
    })),
    details: {
      requestedBy: p.spec.requestedBy?.username ?? null,
      ...(p.spec.reason ? { reason: p.spec.reason } : {}),
      rollback: p.spec.rollback ?? false,
      startedAt: s.startedAt ?? null,
      ...(s.previousRelease ? { previousRelease: s.previousRelease } : {}),
      ...(s.deployment ? { deployment: s.deployment, deploymentPhase: d?.status?.phase ?? null } : {}),
      ...(s.supersededBy ? { supersededBy: s.supersededBy } : {}),
      approvals: (s.approvals ?? []).map((a) => ({
        user: a.user.username,
        decision: a.decision,
        time: a.time,
        ...(a.comment ? { comment: a.comment } : {}),
      })),
      steps: (s.steps ?? [])
        .filter((st) => !st.name.startsWith("notify-"))
        .map((st) => ({ name: st.name, phase: st.phase })),
    },
  };
  return { name: decisionEvidenceName(p), spec, labels: promotionLabels(p) };
}
