// The soak gate: the release has run long enough in every upstream environment.
export { soakGate } from "./gate.ts";
