// Errors of the built-in gates and notifiers, one class per failure with typed fields. Callers test
// `instanceof` (or `retryable`), never message text. URLs in these errors are redacted (no user
// info, no query) because messages end up in status and evidence.

/** A webhook call that did not get a 2xx answer; `retryable` says whether trying again may help. */
export abstract class WebhookError extends Error {
  /** Trying again later may succeed (no answer, 5xx, 408, 429). */
  abstract readonly retryable: boolean;
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

/** A freeze window that cannot be evaluated: a rule rrule rejects or an unknown time zone. */
export class InvalidFreezeWindow extends Error {
  override readonly name = "InvalidFreezeWindow";
  constructor(
    /** Index of the window in spec.freezeWindows. */
    readonly index: number,
    /** The offending field of the window: rrule, timeZone or start. */
    readonly field: "rrule" | "timeZone" | "start",
    message: string,
  ) {
    super(message);
  }
}

/** An RRULE outside RFC 5545 3.3.10, or one whose expansion would take unbounded work. */
export class InvalidRecurrenceRule extends Error {
  override readonly name = "InvalidRecurrenceRule";
}

/** A success or failure condition that does not parse, or that cannot be applied to the result. */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
  constructor(
    message: string,
    /** Offset in the expression text where parsing stopped; absent for evaluation errors. */
    readonly position?: number,
  ) {
    super(message);
  }
}

/** A JSONPath the web provider cannot parse. */
export class InvalidJsonPath extends Error {
  override readonly name = "InvalidJsonPath";
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A metric provider could not produce a value: unreachable, an error answer, or an unusable result. */
export class MetricQueryError extends Error {
  override readonly name = "MetricQueryError";
  constructor(
    /** prometheus or web. */
    readonly provider: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
