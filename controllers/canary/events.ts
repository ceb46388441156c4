// What a person reads in `kubectl describe canary`: the canary started, each weight the router
// confirmed, pauses and their release, each analysis verdict, and how it ended. Derived from two
// statuses, nothing else, like the deployment controller's events.
import type { Canary, CanaryStatus } from "../../crds/canary.ts";
import { normal, type EventNote } from "../runtime/index.ts";

type AnalysisRun = NonNullable<CanaryStatus["analysisRuns"]>[number];

const ENDINGS: Record<string, Omit<EventNote, "message">> = {
  Succeeded: { type: "Normal", reason: "CanarySucceeded" },
  Aborted: { type: "Warning", reason: "CanaryAborted" },
  Failed: { type: "Warning", reason: "CanaryFailed" },
};

/** Verdicts worth an event, by the phase a run ended in. */
const VERDICTS: Record<string, Omit<EventNote, "message">> = {
  Successful: { type: "Normal", reason: "AnalysisPassed" },
  Failed: { type: "Warning", reason: "AnalysisFailed" },
  Inconclusive: { type: "Warning", reason: "AnalysisInconclusive" },
  Error: { type: "Warning", reason: "AnalysisError" },
};

/** The events of a status change of canary `c` from `before` to `after`, in the order they happened. */
export function canaryEvents(c: Canary, before: CanaryStatus | undefined, after: CanaryStatus): EventNote[] {
  const notes: EventNote[] = [];
  const was = before?.phase ?? "Pending";
  const now = after.phase ?? "Pending";
  if (!before?.startedAt && after.startedAt) {
    const from = after.stableRelease ? ` from ${after.stableRelease}` : "";
    const where = `${c.spec.environment} (${c.spec.component})`;
    notes.push(normal("CanaryStarted", `canary of ${c.spec.release}${from} in ${where}`));
  }
  if (after.currentWeight !== undefined && after.currentWeight !== before?.currentWeight) {
    const step = after.currentStepIndex === undefined ? "" : ` at step ${after.currentStepIndex}`;
    notes.push(normal("WeightSet", `canary weight ${after.currentWeight}%${step}, confirmed by the router`));
  }
  notes.push(...analysisEvents(before?.analysisRuns ?? [], after.analysisRuns ?? []));
  if (was !== "Paused" && now === "Paused") notes.push(normal("Paused", after.message ?? "paused"));
  if (was === "Paused" && now === "Progressing") notes.push(normal("Resumed", after.message ?? "resumed"));
  if (was !== now && ENDINGS[now]) notes.push({ ...ENDINGS[now], message: after.message ?? now });
  if (!before?.scaledDownAt && after.scaledDownAt) {
    notes.push(normal("ScaledDown", `the units of ${after.stableRelease ?? "the old stable release"} were removed`));
  }
  return notes;
}

/** Analysis runs that reached a verdict between two statuses (runs are appended, never reordered). */
function analysisEvents(before: readonly AnalysisRun[], after: readonly AnalysisRun[]): EventNote[] {
  const notes: EventNote[] = [];
  after.forEach((run, i) => {
    const verdict = VERDICTS[run.phase];
    if (!verdict || before[i]?.phase === run.phase) return;
    const which = run.step === undefined ? "background analysis" : `analysis at step ${run.step}`;
    const measured = (run.metrics ?? []).map((m) => `${m.name} ${m.phase}`).join(", ");
    notes.push({ ...verdict, message: `${which}: ${run.phase}${measured ? ` (${measured})` : ""}` });
  });
  return notes;
}
