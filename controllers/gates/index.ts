// The built-in gates and notifiers that read an environment's freezeWindows, gates and
// notifications. The promotion controller evaluates them through sdk/plugins/gate.ts:
//   - Pending with retryAfterMs: ask again then (a freeze window, a metric analysis in progress).
//   - Error with retryAfterMs: transient trouble (a webhook's 5xx or timeout); ask again then.
//   - Error without retryAfterMs: the gate gave up (invalid freeze window or condition, a metric
//     provider erroring more than consecutiveErrorLimit times); a person must act.
//   - Passed / Failed: final. Each result's inputs are to be recorded in promotion.status.gates
//     under the gate's name: the metric gate reads its analysis back from there.
// Notifiers throw WebhookError (see errors.ts) whose `retryable` says whether to try again.
import type { Gate, Notifier } from "../../sdk/plugins/gate.ts";
import { freezeGate } from "./freeze.ts";
import { metricGate } from "./metric.ts";
import { webhookNotifier } from "./notifier.ts";
import { webhookGate } from "./webhook.ts";

/** Gates built into Stella beyond the promotion controller's own: freeze, webhook and metric. */
export const builtinGates: readonly Gate[] = [freezeGate, webhookGate, metricGate];

/** Notifiers built into Stella: webhook. */
export const builtinNotifiers: readonly Notifier[] = [webhookNotifier];

export { freezeGate, openFreezeWindow, environmentCreated, type FreezeCheck, type FreezeOccurrence } from "./freeze.ts";
export { webhookGate, webhookGatePayload, type WebhookGatePayload } from "./webhook.ts";
export { metricGate, previousAnalysis } from "./metric.ts";
export { webhookNotifier, webhookNotificationPayload, type WebhookNotificationPayload } from "./notifier.ts";
export { signature, SIGNATURE_HEADER, TIMESTAMP_HEADER, EVENT_HEADER } from "./webhook-call.ts";
export { WebhookError, WebhookRejected, WebhookUnreachable, InvalidFreezeWindow, ExpressionError, MetricQueryError, InvalidJsonPath } from "./errors.ts";
