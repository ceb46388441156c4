// Errors of metric analysis: conditions that do not parse or cannot be applied to a result.

/** A success or failure condition that does not parse, or that cannot be applied to the result. */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
  constructor(
    message: string,
    /** Offset in the expression text where parsing stopped; absent for evaluation errors. */
    readonly position?: number,
  ) {
    super(message);
  }
}
