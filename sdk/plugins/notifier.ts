// The notifier plugin contract: the promotion's notify step tells the environment's notification
// targets how a promotion ended. A notifier throws when it could not deliver: a DeliveryError
// whose `retryable` is false ends the step at once; any other error is tried again later.
import type { Notification as NotificationTarget } from "../../crds/environment.ts";
import type { Promotion } from "../../crds/promotion.ts";
import type { GateRequest } from "./gate.ts";

/** What a notifier sends: the promotion's outcome. */
export interface Notification {
  promotion: Promotion;
  outcome: string;
  message: string;
}

/** A notifier plugin (the notify step). */
export interface Notifier {
  readonly type: string;
  notify(
    notification: Notification,
    target: NotificationTarget,
    secretValue: GateRequest["secretValue"],
    signal?: AbortSignal,
  ): Promise<void>;
}

/** A notification (or a call like it) that was not delivered; `retryable` says whether trying again may help. */
export abstract class DeliveryError extends Error {
  /** Trying again later may succeed (no answer, 5xx, 408, 429). */
  abstract readonly retryable: boolean;
}
