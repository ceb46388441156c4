// An environment's freeze windows now and next, evaluated in the browser by the same code as the
// promotion controller's freeze gate (crds/freeze-window/), so the page says exactly what the gate
// enforces. The page redraws when the freeze opens or ends: one timer for that instant, no polling.
import { useEffect, useState } from "preact/hooks";
import type { Environment, FreezeWindow } from "../../../crds/environment.ts";
import { describeFreezeWindow } from "../../../crds/freeze-window/describe.ts";
import { environmentCreated, openFreezeWindow, type FreezeCheck } from "../../../crds/freeze-window/evaluate.ts";
import { When } from "../time.tsx";

/** The longest delay setTimeout keeps (about 24.8 days); a later boundary is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The freeze check of `env` at `now`, or the reason it cannot be evaluated. */
export function freezeAt(env: Environment, now: Date): FreezeCheck | { invalid: string } {
  try {
    return openFreezeWindow(env.spec.freezeWindows ?? [], now, environmentCreated(env, now));
  } catch (err) {
    return { invalid: err instanceof Error ? err.message : String(err) };
  }
}

/** When the freeze of `env` next changes (it opens or ends), if it ever does. */
export function freezeBoundary(env: Environment, now: Date): Date | undefined {
  if (!env.spec.freezeWindows?.length) return undefined;
  const check = freezeAt(env, now);
  return "invalid" in check ? undefined : (check.until ?? check.next?.start);
}

/** Renders again at `boundary` (when a freeze opens or ends): one timer, no polling. */
export function useRedrawAt(boundary: Date | undefined): void {
  const [, redraw] = useState(0);
  useEffect(() => {
    if (!boundary) return;
    const delay = Math.min(Math.max(boundary.getTime() - Date.now(), 0) + 50, MAX_TIMER_MS);
    const timer = setTimeout(() => redraw((n) => n + 1), delay);
    return () => clearTimeout(timer);
  }, [boundary?.getTime()]);
}

/** A window by its name, else in words ("the window every Friday at 16:00 UTC for 64h"). */
const label = (w: FreezeWindow) => (w.name ? `"${w.name}"` : `the window ${describeFreezeWindow(w)}`);

/** Whether `env` is frozen now, and when the next freeze starts and ends. */
export function FreezeNowNext({ env }: { env: Environment }) {
  const windows = env.spec.freezeWindows ?? [];
  const check = windows.length ? freezeAt(env, new Date()) : undefined;
  useRedrawAt(check && !("invalid" in check) ? (check.until ?? check.next?.start) : undefined);
  if (!check) return null;
  if ("invalid" in check)
    return (
      <div class="freeze invalid" data-frozen="invalid">
        Freeze windows cannot be evaluated: {check.invalid}
      </div>
    );
  if (check.open && check.until)
    return (
      <div class="freeze now" data-frozen="true">
        <strong>Frozen now</strong> by {label(check.open.window)} until <When iso={check.until.toISOString()} />
        {check.open.window.reason ? ` (${check.open.window.reason})` : ""}
      </div>
    );
  return (
    <div class="freeze" data-frozen="false">
      Not frozen now.{" "}
      {check.next ? (
        <span class="next-freeze">
          Next freeze {label(check.next.window)}: <When iso={check.next.start.toISOString()} /> to{" "}
          <When iso={check.next.end.toISOString()} />
          {check.next.window.reason ? ` (${check.next.window.reason})` : ""}
        </span>
      ) : (
        "No freeze window opens again."
      )}
    </div>
  );
}
