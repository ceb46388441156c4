// The freeze gate: no deployment starts while one of the environment's freeze windows is open. A
// freeze is a wait, not a failure: the verdict is Pending until the window closes (retryAfterMs
// then), Passed when none is open. Windows that overlap or follow each other without a gap freeze
// until the last of them closes. A window that cannot be evaluated (a rule rrule rejects, an
// unknown time zone) is Error without retryAfterMs: nothing passes until the environment is fixed.
import type { Environment, FreezeWindow } from "../../../crds/environment.ts";
import type { Gate, GateRequest, GateResult } from "../../../sdk/plugins/gate.ts";
import { InvalidFreezeWindow } from "./errors.ts";
import { type CompiledWindow, compileWindow, nextStart, startsBetween, windowLabel } from "./window.ts";
import { rfc3339 } from "../../../crds/age.ts";

/** One occurrence of a freeze window. */
export interface FreezeOccurrence {
  /** Index in spec.freezeWindows. */
  index: number;
  window: FreezeWindow;
  start: Date;
  end: Date;
}

/** What the windows say at an instant: the window open then, or else the next one to open. */
export interface FreezeCheck {
  /** The open occurrence that ends last, when any window is open. */
  open?: FreezeOccurrence;
  /** When open: the end of the freeze, after every window that overlaps or adjoins it. */
  until?: Date;
  /** When none is open: the next occurrence to start, if any rule has one. */
  next?: FreezeOccurrence;
}

const MAX_CHAINED = 100;

/** Evaluates `windows` at `now`; `defaultStart` (the environment's creation) is DTSTART of windows
 * without `start`. Throws InvalidFreezeWindow for a window that cannot be evaluated. */
export function openFreezeWindow(windows: readonly FreezeWindow[], now: Date, defaultStart: Date): FreezeCheck {
  const compiled = windows.map((w, i) => compileWindow(w, i, defaultStart));
  const open = openAt(compiled, now);
  if (open) {
    let until = open.end;
    for (let i = 0; i < MAX_CHAINED; i++) {
      const more = openAt(compiled, until);
      if (!more || more.end <= until) break;
      until = more.end;
    }
    return { open, until };
  }
  let next: FreezeOccurrence | undefined;
  for (const w of compiled) {
    const start = nextStart(w, now);
    if (start && (!next || start < next.start)) next = occurrence(w, start);
  }
  return { next };
}

/** The occurrence open at `at` (start <= at < end) that ends last, over all windows. */
function openAt(windows: readonly CompiledWindow[], at: Date): FreezeOccurrence | undefined {
  let best: FreezeOccurrence | undefined;
  for (const w of windows) {
    // Every occurrence of a window lasts as long, so its latest start at or before `at` ends last.
    const starts = startsBetween(w, new Date(at.getTime() - w.durationMs + 1), at);
    const start = starts[starts.length - 1];
    if (start && (!best || start.getTime() + w.durationMs > best.end.getTime())) best = occurrence(w, start);
  }
  return best;
}

function occurrence(w: CompiledWindow, start: Date): FreezeOccurrence {
  return { index: w.index, window: w.window, start, end: new Date(start.getTime() + w.durationMs) };
}

/** DTSTART of windows without `start`: the environment's creation time (now, for an object never stored). */
export function environmentCreated(environment: Environment, now: Date): Date {
  const created = environment.metadata.creationTimestamp ? new Date(environment.metadata.creationTimestamp) : undefined;
  return created && !Number.isNaN(created.getTime()) ? created : now;
}

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
