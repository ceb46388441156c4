// The notify steps: once a promotion's outcome is stored, each of the environment's notifications
// is sent through its Notifier plugin (which signs the payload with the notification's signing
// secret). Each send is bracketed by two status writes: the step is marked Running (one more
// attempt) before the call, and Succeeded after it. A step that Succeeded is never sent again. The
// edge is at-least-once: a controller that dies after the call but before recording it finds the
// step Running on restart and sends again — receivers deduplicate on the promotion's uid and
// outcome, which every payload carries. Failures are retried with backoff, notifyAttempts times;
// a DeliveryError that says it is not retryable (a webhook's 4xx answer) fails the step at once.
import type { Notification as NotificationTarget } from "../../crds/environment.ts";
import { isConflict } from "../../crds/errors.ts";
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import { DeliveryError } from "../../sdk/plugins/notifier.ts";
import type { PromotionDeps } from "./deps.ts";
import { stamp } from "./status.ts";
import { findStep, finishStep, isNotifyStep, isReady, notifyStep, startStep, updateStep } from "./steps.ts";

/** The longest wait between two attempts of a notification. */
const MAX_BACKOFF_MS = 300_000;

/** The plugin type a notification is sent by. */
export const notifierType = (n: NotificationTarget): string => (n.webhook ? "webhook" : (n.plugin?.name ?? "plugin"));

/** The wait after `attempts` failed attempts. */
export const notifyBackoff = (attempts: number): number =>
  Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));

/**
 * Sends the due notifications of `p`, whose stored status is terminal. Resolves with when to look
 * again (a notification waiting for its retry), if ever.
 */
export async function sendNotifications(p: Promotion, deps: PromotionDeps): Promise<number | undefined> {
  const ns = p.metadata.namespace ?? "default";
  let current: Promotion | undefined = p;
  let requeue: number | undefined;
  for (const step of (p.status?.steps ?? []).filter((s) => isNotifyStep(s.name))) {
    if (!current) return undefined;
    const steps = current.status?.steps ?? [];
    if (!isReady(steps, step.name)) continue;
    const latest = findStep(steps, step.name)!;
    const now = deps.now();
    if (latest.phase === "Pending" && latest.attempts) {
      const due = Date.parse(latest.startedAt ?? stamp(now)) + notifyBackoff(latest.attempts);
      if (due > now) {
        requeue = Math.min(requeue ?? Infinity, due - now);
        continue;
      }
    }
    const env = deps.environment(ns, current.spec.environment);
    const target = env?.spec.notifications?.find((n) => notifyStep(n.name) === step.name);
    const notifier = target ? deps.notifiers.get(notifierType(target)) : undefined;
    if (!target || !notifier) {
      const why = !target
        ? `notification ${step.name.slice("notify-".length)} was removed from environment ${current.spec.environment}`
        : `no notifier plugin of type ${notifierType(target)} is loaded`;
      current = await mutate(current, deps, (s) => ({
        ...s,
        steps: finishStep(s.steps ?? [], step.name, target ? "Failed" : "Skipped", stamp(deps.now()), why),
      }));
      continue;
    }
    // Record the attempt before making it: a restart then knows it may have been sent.
    const claimed = await mutate(current, deps, (s) =>
      isReady(s.steps ?? [], step.name)
        ? {
            ...s,
            steps: startStep(s.steps ?? [], step.name, stamp(deps.now()), `sending through ${notifierType(target)}`),
          }
        : undefined,
    );
    if (!claimed || !isReady(claimed.status?.steps ?? [], step.name)) {
      current = claimed;
      continue;
    }
    let failure: string | undefined;
    let permanent = false;
    try {
      const outcome = claimed.status?.phase ?? "Pending";
      await notifier.notify(
        { promotion: claimed, outcome, message: claimed.status?.message ?? outcome },
        target,
        deps.secretValue(ns),
        AbortSignal.timeout(deps.limits.pluginTimeoutMs),
      );
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
      permanent = err instanceof DeliveryError && !err.retryable;
    }
    current = await mutate(claimed, deps, (s) => {
      const st = findStep(s.steps, step.name);
      const t = stamp(deps.now());
      if (failure === undefined)
        return {
          ...s,
          steps: finishStep(s.steps ?? [], step.name, "Succeeded", t, `sent through ${notifierType(target)}`),
        };
      const attempts = st?.attempts ?? 1;
      if (permanent)
        return { ...s, steps: finishStep(s.steps ?? [], step.name, "Failed", t, `not retried: ${failure}`) };
      if (attempts >= deps.limits.notifyAttempts)
        return {
          ...s,
          steps: finishStep(s.steps ?? [], step.name, "Failed", t, `gave up after ${attempts} attempts: ${failure}`),
        };
      return {
        ...s,
        steps: updateStep(s.steps ?? [], step.name, {
          phase: "Pending",
          startedAt: t,
          message: `attempt ${attempts} failed: ${failure}; retrying in ${Math.round(notifyBackoff(attempts) / 1000)}s`,
        }),
      };
    });
    if (failure !== undefined)
      deps.log.error("promotion notification failed", {
        promotion: `${ns}/${p.metadata.name}`,
        notification: step.name,
        error: failure,
      });
    const after = current && findStep(current.status?.steps, step.name);
    if (after?.phase === "Pending") requeue = Math.min(requeue ?? Infinity, notifyBackoff(after.attempts ?? 1));
  }
  return requeue;
}

/**
 * Writes `change(status)` onto `p`, re-reading and re-applying on conflict; undefined `change` result writes nothing.
 */
async function mutate(
  p: Promotion,
  deps: PromotionDeps,
  change: (s: PromotionStatus) => PromotionStatus | undefined,
): Promise<Promotion | undefined> {
  let base: Promotion | undefined = p;
  for (let attempt = 0; ; attempt++) {
    if (!base) return undefined;
    const next = change(base.status ?? {});
    if (!next) return base;
    try {
      return await deps.store.write(base, next);
    } catch (err) {
      if (!isConflict(err) || attempt >= 8) throw err;
      base = await deps.store.fresh(p.metadata.namespace ?? "default", p.metadata.name ?? "");
    }
  }
}
