// Why the canary's units cannot be routed to yet, or at all. The reconciler turns a waiting error
// into a requeue with the message in status, and a final one into the phase Failed (or, once
// traffic has moved, an abort that sends it back to stable first).

/** Condition reasons of unit trouble. */
export const CanaryUnitsReasons = {
  /** Something the canary needs is not there yet (release resolving, stable units, health). */
  UnitsNotReady: "UnitsNotReady",
  /** A canary unit failed its health check or stopped. */
  CanaryUnhealthy: "CanaryUnhealthy",
  /** The canary cannot run as written (unknown component, same release as stable, a driver without addresses). */
  InvalidCanary: "InvalidCanary",
} as const;
export type CanaryUnitsReason = (typeof CanaryUnitsReasons)[keyof typeof CanaryUnitsReasons];

/** The canary's units are not ready (waiting), unhealthy, or cannot be made. */
export class CanaryUnitsError extends Error {
  override readonly name = "CanaryUnitsError";
  constructor(
    readonly reason: CanaryUnitsReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
