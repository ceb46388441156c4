// The agent's errors, one class per failure with typed fields; callers branch on the class.

/** Enrollment or renewal was refused or could not be completed; `status` is the HTTP code when the server answered. */
export class EnrollmentError extends Error {
  override readonly name = "EnrollmentError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The agent cannot start as configured (a flag, the data directory, a bootstrap token of another agent). */
export class AgentConfigError extends Error {
  override readonly name = "AgentConfigError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
