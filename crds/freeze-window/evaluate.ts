// What an environment's freeze windows say at an instant: the window open then (and when the freeze
// ends, after every window that overlaps or adjoins it), or else the next one to open. The freeze
// gate (controllers/gates/freeze) and the dashboard's pipeline both ask this, so the page shows
// exactly the freeze the promotion controller enforces.
import type { Environment, FreezeWindow } from "../environment.ts";
import { type CompiledWindow, compileWindow, nextStart, startsBetween } from "./window.ts";

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
