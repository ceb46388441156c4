// Errors of the web provider: a JSONPath outside the supported subset.

/** A JSONPath the web provider cannot parse. */
export class InvalidJsonPath extends Error {
  override readonly name = "InvalidJsonPath";
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
