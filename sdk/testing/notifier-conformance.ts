// The notifier conformance suite: one function every notifier's test calls against a real
// receiver, with targets of its own. For each target it checks what the notify step relies on:
//   - a receiver that accepts: notify resolves;
//   - a receiver that refuses: notify rejects with a DeliveryError whose `retryable` is what the
//     scenario says (a refusal a person must fix is not retried; an outage is);
//   - no value read through secretValue appears in an error message.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Notification as NotificationTarget } from "../../crds/environment.ts";
import type { GateRequest } from "../plugins/gate.ts";
import { DeliveryError, type Notification, type Notifier } from "../plugins/notifier.ts";

/** One delivery. */
export interface NotifierScenario {
  name: string;
  target: () => NotificationTarget;
  /** Absent: the delivery must succeed. Otherwise it must fail with a DeliveryError of this retryability. */
  fails?: { retryable: boolean };
}

/** Options of notifierConformance. */
export interface NotifierConformanceOptions {
  notifier: Notifier;
  notification: () => Notification;
  scenarios: readonly NotifierScenario[];
  secretValue: GateRequest["secretValue"];
  /** Every value secretValue may hand out. */
  secrets: readonly string[];
}

/** Registers the notifier conformance cases (node:test describe/it) for one notifier. */
export function notifierConformance(opts: NotifierConformanceOptions): void {
  describe(`notifier conformance: ${opts.notifier.type}`, () => {
    for (const s of opts.scenarios) {
      it(s.name, async () => {
        const run = opts.notifier.notify(opts.notification(), s.target(), opts.secretValue);
        if (!s.fails) return run;
        const { retryable } = s.fails;
        await assert.rejects(run, (err) => {
          assert.ok(err instanceof DeliveryError, `not a DeliveryError: ${String(err)}`);
          assert.equal(err.retryable, retryable, `retryable ${err.retryable}: ${err.message}`);
          for (const secret of opts.secrets) assert.ok(!err.message.includes(secret), "a Secret value in the message");
          return true;
        });
      });
    }
  });
}
