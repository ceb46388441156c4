// Per-kind behaviour on top of the generic store (kubernetes/apiserver's RESTCreateStrategy and
// RESTUpdateStrategy): extra validation and immutability rules. The generic store already handles
// metadata, status, generation and schema validation for every kind.
import type { StatusCause } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";

/** Hooks a kind may add. Each returns field causes; a non-empty list rejects the write with 422. */
export interface Strategy {
  /** Rules beyond the schema for a new object. */
  validateCreate?(obj: StellaObject): StatusCause[];
  /** Rules comparing an update (of the main resource or of status) with the stored object. */
  validateUpdate?(next: StellaObject, old: StellaObject, subresource: string | undefined): StatusCause[];
  /** Refuses deletion (e.g. write-once kinds); returns a reason or undefined to allow. */
  forbidDelete?(obj: StellaObject): string | undefined;
  /** Fields a create sets when absent (run before validation). */
  defaults?(obj: StellaObject): void;
}

const none: Strategy = {};

/** Looks up the strategy of a kind from a table; kinds without one get the empty strategy. */
export function strategyFor(table: Record<string, Strategy>, kind: string): Strategy {
  return table[kind] ?? none;
}
