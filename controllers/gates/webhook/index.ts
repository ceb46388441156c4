// The webhook gate, and the signed webhook call and payload it shares with the webhook notifier.
export { webhookGate, webhookGatePayload, type WebhookGatePayload } from "./gate.ts";
export {
  callWebhook,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  EVENT_HEADER,
  signature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "./call.ts";
export { isTransientStatus, WebhookError, WebhookRejected, WebhookUnreachable } from "./errors.ts";
export { promotionRef, releaseDigests, type ImageDigest, type PromotionRef } from "./payload.ts";
