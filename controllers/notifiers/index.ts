// The notifiers built into Stella, behind sdk/plugins/notifier.ts: the promotion's notify steps
// tell an environment's notification targets how a promotion ended.
import type { Notifier } from "../../sdk/plugins/notifier.ts";
import { webhookNotifier } from "./webhook/index.ts";

/** Every built-in notifier: webhook. */
export const builtinNotifiers: readonly Notifier[] = [webhookNotifier];

export { webhookNotifier, webhookNotificationPayload, type WebhookNotificationPayload } from "./webhook/index.ts";
