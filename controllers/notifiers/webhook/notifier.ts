// The webhook notifier: the notify step POSTs a promotion's outcome, signed like the webhook gate
// (see webhook-call.ts). Resolves on 2xx; otherwise throws a WebhookError whose `retryable` tells
// the controller whether to try again (no answer, 5xx, 408, 429) or to give up (other 4xx, 3xx).
import type { Notification as NotificationTarget } from "../../../crds/environment.ts";
import type { GateRequest } from "../../../sdk/plugins/gate.ts";
import type { Notification, Notifier } from "../../../sdk/plugins/notifier.ts";
import { WebhookRejected, DEFAULT_WEBHOOK_TIMEOUT_MS, callWebhook } from "../../gates/webhook/index.ts";
import { type PromotionRef, promotionRef } from "../../gates/webhook/index.ts";
import { redactUrl } from "../../../sdk/http-url.ts";

/** The JSON a webhook notification POSTs. */
export interface WebhookNotificationPayload {
  notification: string;
  promotion: PromotionRef;
  outcome: string;
  message: string;
  release: string;
  environment: string;
  requestedBy?: string;
  /** When it was sent (RFC 3339); equal to X-Stella-Timestamp. */
  time: string;
}

/** The payload for one notification sent at `now`. */
export function webhookNotificationPayload(
  n: Notification,
  target: NotificationTarget,
  now: Date,
): WebhookNotificationPayload {
  return {
    notification: target.name,
    promotion: promotionRef(n.promotion),
    outcome: n.outcome,
    message: n.message,
    release: n.promotion.spec.release,
    environment: n.promotion.spec.environment,
    requestedBy: n.promotion.spec.requestedBy?.username,
    time: now.toISOString(),
  };
}

/** The built-in webhook notifier (type "webhook"); reads target.webhook. Throws WebhookUnreachable,
 * WebhookRejected, or the secret lookup's own error (a missing Secret). */
export const webhookNotifier: Notifier = {
  type: "webhook",
  async notify(
    n: Notification,
    target: NotificationTarget,
    secretValue: GateRequest["secretValue"],
    signal?: AbortSignal,
  ): Promise<void> {
    const hook = target.webhook;
    if (!hook) throw new TypeError(`notification "${target.name}" has no webhook settings`);
    const secret = hook.signingSecretRef ? await secretValue(hook.signingSecretRef) : undefined;
    const payload = webhookNotificationPayload(n, target, new Date());
    const answer = await callWebhook({
      url: hook.url,
      method: "POST",
      body: JSON.stringify(payload),
      secret,
      timestamp: payload.time,
      event: "notification",
      timeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
      signal,
    });
    if (answer.status >= 200 && answer.status < 300) return;
    const said = answer.body.trim() ? `: ${answer.body.trim()}` : "";
    throw new WebhookRejected(
      redactUrl(hook.url),
      answer.status,
      answer.body,
      answer.retryAfterMs,
      `notification "${target.name}": POST ${redactUrl(hook.url)} answered ${answer.status}${said}`,
    );
  },
};
