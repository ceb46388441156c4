// Metric analysis: measuring a metric through its provider, judging each value by the metric's
// success and failure conditions, and the analysis state machine over many measurements. Used by
// the metric gate; canary analysis uses the same pieces.
export {
  analysisOutcome,
  analysisState,
  limitsOf,
  recordMeasurement,
  startAnalysis,
  type AnalysisOutcome,
  type AnalysisState,
} from "./analysis.ts";
export { compileConditions, measure, type Conditions, type MetricSpec } from "./measure.ts";
export { ExpressionError } from "./errors.ts";
export type { Value } from "./expression.ts";
