// The evidence a deployment leaves when it ends: its outcome (or its rollback) with the release's
// digests, the effective strategy, what every target did, and the digests of everything it
// generated, and who asked for it (spec.requestedBy, set by the server). Status messages are health
// and driver messages; Secret values never reach them.
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import type { EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import type { Release } from "../../crds/release.ts";
import { packetName, releaseSubjects } from "../evidence/index.ts";

/** The controller's identity in evidence. */
export const DEPLOYMENT_ACTOR = "system:controller:deployment";

/** Phases that leave evidence. */
const RECORDED = new Set(["Succeeded", "Failed", "RolledBack", "Aborted"]);

/** The packet to record for `status`, a terminal status of `d`; undefined when the phase leaves none. */
export function deploymentEvidence(
  d: Deployment,
  status: DeploymentStatus,
  release: Release | undefined,
): { name: string; spec: EvidencePacketSpec; labels: Record<string, string> } | undefined {
  const phase = status.phase ?? "";
  if (!RECORDED.has(phase)) return undefined;
  const rolledBack =
    phase === "RolledBack" ||
    d.spec.rollback === true ||
    (phase === "Aborted" && status.rollback?.completedAt !== undefined);
  const complete = status.conditions?.find((c) => c.type === "Complete");
  const spec: EvidencePacketSpec = {
    type: rolledBack ? "Rollback" : "DeploymentOutcome",
    subject: {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Deployment",
      name: d.metadata.name ?? "",
      ...(d.metadata.uid ? { uid: d.metadata.uid } : {}),
    },
    release: d.spec.release,
    environment: d.spec.environment,
    decision: {
      outcome: phase,
      ...(complete?.reason ? { reason: complete.reason } : {}),
      ...(status.message ? { message: status.message } : {}),
    },
    actor: { username: DEPLOYMENT_ACTOR },
    decidedAt: status.completedAt,
    subjects: release ? releaseSubjects(release) : [],
    artifacts: (status.artifacts ?? []).map((a) => ({
      name: [a.target, a.component ?? a.type].filter(Boolean).join("/"),
      type: a.type,
      digest: a.digest,
    })),
    details: {
      strategy: status.strategy,
      ...(status.previousRelease ? { previousRelease: status.previousRelease } : {}),
      ...(status.rollback ? { rollback: status.rollback } : {}),
      ...(d.spec.promotion ? { promotion: d.spec.promotion } : {}),
      ...(d.spec.requestedBy ? { requestedBy: d.spec.requestedBy.username } : {}),
      startedAt: status.startedAt,
      targets: (status.targets ?? []).map((t) => ({
        name: t.name,
        phase: t.phase,
        ...(t.slot ? { slot: t.slot } : {}),
        ...(t.message ? { message: t.message } : {}),
      })),
    },
  };
  const labels = {
    "stella.io/deployment": d.metadata.name ?? "",
    "stella.io/release": d.spec.release,
    "stella.io/environment": d.spec.environment,
  };
  return { name: packetName("deployment", d.metadata.name ?? "", phase, status.observedRetry ?? 0), spec, labels };
}
