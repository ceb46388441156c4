// Errors of webhook calls (the webhook gate and the webhook notifier), one class per failure with
// typed fields. Callers test `instanceof` (or `retryable`), never message text. URLs in these errors
// are redacted (no user info, no query) because messages end up in status and evidence.
import { DeliveryError } from "../../../sdk/plugins/notifier.ts";

/** A webhook call that did not get a 2xx answer; `retryable` says whether trying again may help. */
export abstract class WebhookError extends DeliveryError {
  constructor(
    /** The endpoint, redacted. */
    readonly url: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The endpoint did not answer: connection refused or reset, DNS failure, or the timeout passed. */
export class WebhookUnreachable extends WebhookError {
  override readonly name = "WebhookUnreachable";
  readonly retryable = true;
  constructor(
    url: string,
    /** The timeout passed (rather than a connection error). */
    readonly timedOut: boolean,
    message: string,
    options?: ErrorOptions,
  ) {
    super(url, message, options);
  }
}

/** The endpoint answered with a status other than 2xx. */
export class WebhookRejected extends WebhookError {
  override readonly name = "WebhookRejected";
  readonly retryable: boolean;
  constructor(
    url: string,
    readonly status: number,
    /** The first 200 characters of the answer's body. */
    readonly body: string,
    /** Retry-After of the answer in milliseconds, when it sent one. */
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(url, message);
    this.retryable = isTransientStatus(status);
  }
}

/** HTTP statuses worth retrying: 5xx, 408 Request Timeout and 429 Too Many Requests. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
