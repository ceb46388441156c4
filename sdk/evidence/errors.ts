// The failures of evidence verification that are not verdicts: unusable inputs. A packet that
// fails verification is a verdict (see problems.ts), never an exception.

/** The public key given to verify with is not an Ed25519 public key in PEM. */
export class PublicKeyInvalidError extends Error {
  override readonly name = "PublicKeyInvalidError";
  constructor(
    /** Where the key came from, e.g. a file name or "the server". */
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}

/** A bundle file is not an EvidenceBundle (not JSON, wrong apiVersion/kind, a field missing). */
export class BundleInvalidError extends Error {
  override readonly name = "BundleInvalidError";
  constructor(
    /** The offending field path, e.g. `packets[3].metadata`, or "" for the whole file. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(field ? `not an evidence bundle: ${field}: ${problem}` : `not an evidence bundle: ${problem}`);
  }
}
