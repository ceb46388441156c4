// The promotion reconciler: level-triggered passes of the state machine (machine.ts) over the
// stored status, each written through the status subresource at the resourceVersion it was
// computed from. A pass that moved the promotion on is followed by another at once, from the
// status just written, so a promotion without gates goes from Pending to Deploying in one
// reconcile while every transition is stored on the way. A conflict (the apiserver appended an
// approval, or a user set spec.abort) re-reads the promotion and decides again from it. Decisions
// stored become evidence (evidence-recorder.ts); a stored outcome triggers the notify steps.
import { isDeepStrictEqual } from "node:util";
import { isConflict } from "../../crds/errors.ts";
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import type { Reconciler, Request, Result } from "../runtime/index.ts";
import type { PromotionDeps } from "./deps.ts";
import { recordDecisions, needsEvidence } from "./evidence-recorder.ts";
import { advance } from "./machine.ts";
import { sendNotifications } from "./notify.ts";
import { isTerminal } from "./status.ts";

/** Passes one reconcile may make before it yields (each moved the promotion on). */
const MAX_PASSES = 16;

/** Runs promotions. */
export class PromotionReconciler implements Reconciler {
  constructor(private readonly deps: PromotionDeps) {}

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const { deps } = this;
    let p = deps.store.latest(namespace, name);
    if (!p || p.metadata.deletionTimestamp) return;
    let requeue: number | undefined;
    let evidenceError: unknown;
    for (let i = 0; i < MAX_PASSES; i++) {
      const pass = await advance(p, deps, deps.now());
      let status = clean(pass.status);
      if (!evidenceError) {
        try {
          status = await recordDecisions(p, status, deps);
        } catch (err) {
          evidenceError = err;
        }
      }
      requeue = pass.requeueMs;
      if (isDeepStrictEqual(status, clean(p.status ?? {}))) break;
      let saved: Promotion;
      try {
        saved = await deps.store.write(p, status);
      } catch (err) {
        if (!isConflict(err)) throw err;
        const fresh = await deps.store.fresh(namespace, name);
        if (!fresh) return;
        p = fresh;
        continue;
      }
      if (saved.status?.phase !== p.status?.phase)
        deps.log.info("promotion phase", {
          promotion: `${namespace}/${name}`,
          phase: saved.status?.phase,
          message: saved.status?.message,
        });
      p = saved;
      if (i === MAX_PASSES - 1) requeue = 1;
      if (!pass.again && (evidenceError || !needsEvidence(p))) break;
    }
    if (isTerminal(p.status?.phase)) {
      const again = await sendNotifications(p, deps);
      if (again !== undefined) requeue = Math.min(requeue ?? Infinity, again);
    }
    if (evidenceError) throw evidenceError;
    return requeue === undefined ? undefined : { requeueAfter: Math.max(1, Math.ceil(requeue)) };
  }
}

/** The status without undefined keys or empty lists. */
function clean(status: PromotionStatus): PromotionStatus {
  return Object.fromEntries(
    Object.entries(status).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as PromotionStatus;
}
