// The evidence of an environment policy change: who changed which policy fields, and the policy
// before and after with their digests (the digests approvals bind to). The apiserver writes it
// right after the change commits, through the sealing store like any packet, so it takes the next
// link of the namespace's chain; a change whose packet could not be written is reported as an
// error to its caller (the change stands, and the audit log has its record).
import type { StellaObject, UserInfo } from "../../../crds/meta.ts";
import { API_VERSION } from "../../../crds/meta.ts";
import type { EnvironmentSpec } from "../../../crds/environment.ts";
import { environmentPolicy, policyDigest } from "../../../crds/environment-policy.ts";
import type { EvidencePacketSpec } from "../../../crds/evidence-packet.ts";
import type { Admission } from "../strategy.ts";

/** The actor of a change made in-process, without a caller. */
export const APISERVER_ACTOR = "system:apiserver";

const OUTCOMES = { create: "Created", update: "Changed", delete: "Deleted" } as const;

const specOf = (obj: StellaObject | undefined) => obj?.spec as Partial<EnvironmentSpec> | undefined;
const labelOk = (v: string) => /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/.test(v);

/** The PolicyChange packet for write `a` of environment `stored` that changed `changed` (spec paths). */
export function policyChangePacket(a: Admission, stored: StellaObject, changed: string[]): StellaObject {
  const name = stored.metadata.name ?? "";
  const actor: UserInfo = a.requester ?? { username: APISERVER_ACTOR };
  const side = (spec: Partial<EnvironmentSpec> | undefined) => ({
    digest: policyDigest(spec),
    policy: environmentPolicy(spec),
  });
  const before = side(specOf(a.old));
  const after = side(a.verb === "delete" ? undefined : specOf(a.next));
  const outcome = OUTCOMES[a.verb];
  const uid = stored.metadata.uid;
  const spec: EvidencePacketSpec = {
    type: "PolicyChange",
    subject: { apiVersion: API_VERSION, kind: "Environment", name, ...(uid ? { uid } : {}) },
    environment: name,
    decision: {
      outcome,
      reason: "PolicyChange",
      message: `${changed.join(", ")} ${outcome.toLowerCase()} by ${actor.username}`,
    },
    actor,
    decidedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    subjects: [],
    policy: { name, digest: after.digest },
    details: {
      changedFields: changed,
      before,
      after,
      resourceVersion: stored.metadata.resourceVersion ?? null,
      ...(a.requestId ? { auditId: a.requestId } : {}),
    },
  };
  return {
    apiVersion: API_VERSION,
    kind: "EvidencePacket",
    metadata: {
      name: `policy-${name.slice(0, 200)}-${stored.metadata.resourceVersion ?? "0"}`,
      ...(labelOk(name) ? { labels: { "stella.io/environment": name, "stella.io/evidence": "policy-change" } } : {}),
    },
    spec,
  };
}
