// What `stella canary status` prints: the canary's move (stable -> canary, where, through which
// router), phase and reason, the step it stands at, the weight the router confirmed, the match
// routes, and one row per analysis run with its measurements. With -w, only lines that changed
// are printed again.
import type { Canary, CanaryStep } from "../../crds/canary.ts";
import { CANARY_TERMINAL_PHASES } from "../../crds/canary.ts";

/** A step in words. */
export function describeStep(step: CanaryStep | undefined): string {
  if (!step) return "done";
  if (step.setWeight !== undefined) return `setWeight ${step.setWeight}`;
  if (step.pause) return step.pause.duration ? `pause ${step.pause.duration}` : "pause (until promote)";
  if (step.analysis) return `analysis ${step.analysis.metrics.join(",")}`;
  if (step.setHeaderRoute) return `setHeaderRoute ${step.setHeaderRoute.name}`;
  if (step.setCookieRoute) return `setCookieRoute ${step.setCookieRoute.name}`;
  return "?";
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map(
    (r) =>
      "  " +
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
  );
}

/** The lines describing `canary`. */
export function canaryStatusLines(canary: Canary): string[] {
  const { spec } = canary;
  const status = canary.status ?? {};
  const step = status.currentStepIndex ?? 0;
  const reason = status.conditions?.find((c) => c.type === "Healthy")?.reason;
  const lines = [
    `canary/${canary.metadata.name}: ${status.stableRelease ?? "(stable not chosen yet)"} -> ${spec.release} ` +
      `in ${spec.environment} (${spec.component}) via ${spec.router.plugin}`,
    `Phase:    ${status.phase ?? "Pending"}${reason ? ` (${reason})` : ""}${status.message ? `: ${status.message}` : ""}`,
    `Step:     ${Math.min(step, spec.steps.length)}/${spec.steps.length} ${describeStep(spec.steps[step])}`,
    `Weight:   ${status.currentWeight === undefined ? "-" : `${status.currentWeight}%`}`,
  ];
  if (status.headerRoutes?.length) lines.push(`Routes:   ${status.headerRoutes.join(", ")}`);
  if (status.scaleDownAt)
    lines.push(`ScaleDown: ${status.scaledDownAt ? `done at ${status.scaledDownAt}` : `due ${status.scaleDownAt}`}`);
  const rows = (status.analysisRuns ?? []).flatMap((run) =>
    (run.metrics ?? []).map((m) => {
      const measured = m.measurements ?? [];
      const last = measured.at(-1);
      return [
        run.step === undefined ? "background" : String(run.step),
        m.name,
        m.phase ?? run.phase,
        `${measured.length}/${spec.analysis?.metrics.find((x) => x.name === m.name)?.count ?? 1}`,
        last?.value ?? "-",
        m.message ?? "",
      ];
    }),
  );
  if (rows.length)
    lines.push("Analysis:", ...table([["STEP", "METRIC", "PHASE", "MEASURED", "LAST", "MESSAGE"], ...rows]));
  return lines;
}

/** Whether `canary` has ended. */
export const canaryEnded = (canary: Canary): boolean =>
  CANARY_TERMINAL_PHASES.includes(canary.status?.phase ?? "Pending") &&
  !(canary.status?.phase === "Succeeded" && canary.status.scaleDownAt && !canary.status.scaledDownAt);
