// The upstream gate: the release has landed in every upstream environment.
export { upstreamGate, UPSTREAM_RETRY_MS } from "./gate.ts";
