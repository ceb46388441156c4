// The metric gate: a metric analysis (controllers/analysis) that must succeed before deploying.
export { metricGate, previousAnalysis } from "./gate.ts";
