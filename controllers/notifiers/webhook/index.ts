// The webhook notifier: a signed POST of the promotion's outcome.
export { webhookNotifier, webhookNotificationPayload, type WebhookNotificationPayload } from "./notifier.ts";
