// The failures of the deployment commands (rollout, rollback, deployment artifacts) that are not
// API answers: one class per failure with typed fields. Server refusals stay ApiErrors (Status).

/** A rollout control (pause, resume, abort, retry) that makes no sense in the deployment's state. */
export class RolloutRefusedError extends Error {
  override readonly name = "RolloutRefusedError";
  constructor(
    readonly deployment: string,
    readonly action: string,
    /** The deployment's phase when it was refused ("Pending" before the controller saw it). */
    readonly phase: string,
    message: string,
  ) {
    super(message);
  }
}

/** `stella rollback` found no release to go back to. */
export class NoPreviousReleaseError extends Error {
  override readonly name = "NoPreviousReleaseError";
  constructor(readonly environment: string) {
    super(
      `environment ${environment} has no previous release to roll back to (status.previous is empty); name one with --to RELEASE`,
    );
  }
}

/** `stella rollback --to` names the release the environment runs now. */
export class AlreadyCurrentError extends Error {
  override readonly name = "AlreadyCurrentError";
  constructor(
    readonly environment: string,
    readonly release: string,
  ) {
    super(`release ${release} is what environment ${environment} runs now; nothing to roll back to`);
  }
}

/** A direct `stella rollback` of an environment that takes releases only through promotions. */
export class PromotionRequiredError extends Error {
  override readonly name = "PromotionRequiredError";
  constructor(readonly environment: string) {
    super(
      `environment ${environment} takes releases only through promotions (spec.promotion.required), so a direct ` +
        `rollback Deployment would be refused; run "stella rollback ${environment} --promote" to roll back ` +
        "through a Promotion (its gates and approvals, minus what spec.promotion.rollback lets a rollback skip)",
    );
  }
}

/** The deployment lists no artifact matching the selection. */
export class NoArtifactsError extends Error {
  override readonly name = "NoArtifactsError";
  constructor(
    readonly deployment: string,
    message: string,
  ) {
    super(message);
  }
}

/** A stored artifact whose content does not hash to the digest the deployment recorded. */
export class ArtifactDigestMismatchError extends Error {
  override readonly name = "ArtifactDigestMismatchError";
  constructor(
    readonly artifact: string,
    /** The digest Deployment.status.artifacts records. */
    readonly expected: string,
    /** sha256 of the content the server returned. */
    readonly actual: string,
  ) {
    super(
      `artifact ${artifact} is corrupt: its content hashes to ${actual}, not ${expected} as the deployment records; not printing it`,
    );
  }
}

/** An artifact the deployment lists is not stored (deleted, or never written). */
export class ArtifactMissingError extends Error {
  override readonly name = "ArtifactMissingError";
  constructor(
    readonly artifact: string,
    readonly deployment: string,
  ) {
    super(`artifact ${artifact} listed by deployment ${deployment} is missing on the server`);
  }
}
