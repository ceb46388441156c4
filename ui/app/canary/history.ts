// A canary's history as series to chart. The weight over time comes from the canary's evidence:
// every weight the router confirmed is a CanaryDecision packet (outcome WeightSet, details.step the
// setWeight step), an abort or failure sends the weight to 0; the status's currentWeight is the
// last point (at completedAt, else now). The analysis measurements come from status.analysisRuns.
import type { Canary } from "../../../crds/canary.ts";
import type { EvidencePacket } from "../../../crds/evidence-packet.ts";
import type { Point } from "./chart.tsx";

/** Packet outcomes after which no traffic goes to the canary (an abort, by hand or a failed analysis). */
const TO_ZERO = ["Aborted"];

/** Whether `p` is evidence about canary `name`. */
export const isCanaryPacket = (p: EvidencePacket, name: string) =>
  p.spec.type === "CanaryDecision" && p.spec.subject.kind === "Canary" && p.spec.subject.name === name;

/** The weight (percent) over time of canary `c`, from its packets and its status; oldest first. */
export function weightSeries(c: Canary, packets: EvidencePacket[], now = Date.now()): Point[] {
  const points: Point[] = [];
  const start = Date.parse(c.status?.startedAt ?? "");
  if (!Number.isNaN(start)) points.push({ at: start, value: 0 });
  for (const p of packets) {
    const at = Date.parse(p.spec.decidedAt ?? "");
    if (Number.isNaN(at)) continue;
    const step = (p.spec.details as { step?: unknown } | undefined)?.step;
    const outcome = p.spec.decision.outcome;
    const weight = typeof step === "number" ? c.spec.steps[step]?.setWeight : undefined;
    if (outcome === "WeightSet" && weight !== undefined) points.push({ at, value: weight });
    else if (TO_ZERO.includes(outcome)) points.push({ at, value: 0 });
  }
  const weight = c.status?.currentWeight;
  if (weight !== undefined) {
    const end = Date.parse(c.status?.completedAt ?? "");
    points.push({ at: Number.isNaN(end) ? now : end, value: weight });
  }
  return points.sort((a, b) => a.at - b.at);
}

/** One metric's measurements with a numeric value, over every analysis run, oldest first. */
export function measurementSeries(c: Canary): Map<string, Point[]> {
  const series = new Map<string, Point[]>();
  for (const run of c.status?.analysisRuns ?? [])
    for (const metric of run.metrics ?? []) {
      const points = series.get(metric.name) ?? [];
      for (const m of metric.measurements ?? []) {
        const at = Date.parse(m.finishedAt ?? m.startedAt ?? "");
        const value = Number(m.value);
        if (!Number.isNaN(at) && m.value !== undefined && m.value.trim() !== "" && Number.isFinite(value))
          points.push({ at, value });
      }
      series.set(
        metric.name,
        points.sort((a, b) => a.at - b.at),
      );
    }
  return series;
}
