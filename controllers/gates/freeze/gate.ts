// The freeze gate: no deployment starts while one of the environment's freeze windows is open. A
// freeze is a wait, not a failure: the verdict is Pending until the window closes (retryAfterMs
// then), Passed when none is open. Windows that overlap or follow each other without a gap freeze
// until the last of them closes. A window that cannot be evaluated (a rule rrule rejects, an
// unknown time zone) is Error without retryAfterMs: nothing passes until the environment is fixed.
// The evaluation itself lives in crds/freeze-window/, shared with the dashboard.
import type { Gate, GateRequest, GateResult } from "../../../sdk/plugins/gate.ts";
import { InvalidFreezeWindow } from "../../../crds/freeze-window/errors.ts";
import {
  environmentCreated,
  openFreezeWindow,
  type FreezeCheck,
  type FreezeOccurrence,
} from "../../../crds/freeze-window/evaluate.ts";
import { windowLabel } from "../../../crds/freeze-window/window.ts";
import { rfc3339 } from "../../../crds/age.ts";

function describe(o: FreezeOccurrence): string {
  const zone = o.window.timeZone ? `, ${o.window.timeZone}` : "";
  return `${windowLabel(o)} (${o.window.rrule}${zone})`;
}

function occurrenceInputs(o: FreezeOccurrence): Record<string, unknown> {
  return {
    window: o.window.name ?? `freezeWindows[${o.index}]`,
    rrule: o.window.rrule,
    timeZone: o.window.timeZone ?? "UTC",
    duration: o.window.duration,
    start: rfc3339(o.start),
    end: rfc3339(o.end),
  };
}

/** The built-in freeze gate (type "freeze"): Pending while a window of the environment is open. */
export const freezeGate: Gate = {
  type: "freeze",
  evaluate(request: GateRequest): Promise<GateResult> {
    const { environment, now } = request;
    const windows = environment.spec.freezeWindows ?? [];
    const checked = { windows: windows.length, now: rfc3339(now) };
    let check: FreezeCheck;
    try {
      check = openFreezeWindow(windows, now, environmentCreated(environment, now));
    } catch (err) {
      if (!(err instanceof InvalidFreezeWindow)) throw err;
      return Promise.resolve({
        verdict: "Error",
        message: `environment ${environment.metadata.name}: ${err.message}`,
        inputs: { ...checked, invalid: `freezeWindows[${err.index}].${err.field}` },
      });
    }
    if (check.open && check.until) {
      const reason = check.open.window.reason ? `: ${check.open.window.reason}` : "";
      return Promise.resolve({
        verdict: "Pending",
        message: `frozen by window ${describe(check.open)} until ${rfc3339(check.until)}${reason}`,
        inputs: { ...checked, frozen: occurrenceInputs(check.open), frozenUntil: rfc3339(check.until) },
        retryAfterMs: Math.max(check.until.getTime() - now.getTime(), 1000),
      });
    }
    const next = check.next ? `; the next, ${describe(check.next)}, opens at ${rfc3339(check.next.start)}` : "";
    const message = windows.length === 0 ? "no freeze windows" : `no freeze window open at ${rfc3339(now)}${next}`;
    return Promise.resolve({
      verdict: "Passed",
      message,
      inputs: check.next ? { ...checked, next: occurrenceInputs(check.next) } : checked,
    });
  },
};
