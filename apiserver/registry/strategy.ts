// Per-kind behaviour on top of the generic store (kubernetes/apiserver's RESTCreateStrategy and
// RESTUpdateStrategy): extra validation and immutability rules. The generic store already handles
// metadata, status, generation and schema validation for every kind.
import type { StatusCause } from "../../crds/errors.ts";
import type { StellaObject, UserInfo } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";

/**
 * A write as admission sees it, after validation: who asks, what changes, and a way to read the
 * objects it depends on. `roles` are the caller's roles in the namespace; both `requester` and
 * `roles` are undefined only for in-process writes, which have no caller to refuse.
 */
export interface Admission {
  verb: "create" | "update" | "delete";
  namespace: string;
  /** The object as it will be stored; absent for a delete. */
  next?: StellaObject;
  /** The object as stored now; absent for a create. */
  old?: StellaObject;
  subresource?: string;
  requester?: UserInfo;
  roles?: readonly string[];
  /** The request's audit id, for records that point back to it. */
  requestId?: string;
  dryRun: boolean;
  /** Reads an object of the namespace; undefined when there is none. */
  read(info: KindInfo, name: string): Promise<StellaObject | undefined>;
  /** Creates an object in the namespace as the apiserver itself (no caller, no admission). */
  create(info: KindInfo, obj: StellaObject): Promise<StellaObject>;
}

/** Hooks a kind may add. Each returns field causes; a non-empty list rejects the write with 422. */
export interface Strategy {
  /** Rules beyond the schema for a new object. */
  validateCreate?(obj: StellaObject): StatusCause[];
  /** Rules comparing an update (of the main resource or of status) with the stored object. */
  validateUpdate?(next: StellaObject, old: StellaObject, subresource: string | undefined): StatusCause[];
  /**
   * Refuses deletion (e.g. write-once kinds); returns a reason or undefined to allow. `contains` counts a kind's
   * objects in a namespace.
   */
  forbidDelete?(
    obj: StellaObject,
    contains: (kind: string, namespace: string) => Promise<boolean>,
  ): string | undefined | Promise<string | undefined>;
  /** Fields a create sets when absent (run before validation). */
  defaults?(obj: StellaObject): void;
  /**
   * Server-owned fields of a new object, from who is asking (e.g. Promotion spec.requestedBy);
   * `requester` is undefined only for in-process writes that have no caller.
   */
  prepareCreate?(obj: StellaObject, requester: UserInfo | undefined): void;
  /** Server-owned fields of an update, carried over from the stored object whatever the client sent. */
  prepareUpdate?(next: StellaObject, old: StellaObject, subresource: string | undefined): void;
  /** Canonicalizes every write (create and update) before validation, e.g. Secret stringData into data. */
  normalize?(obj: StellaObject): void;
  /** Rewrites validation causes before they are returned, e.g. to keep secret values out of messages. */
  redact?(causes: StatusCause[]): StatusCause[];
  /** Where the kind keeps secret content, for callers who may write it but not read it. */
  content?: SecretContent;
  /**
   * Rules that need other objects or the caller's roles (Kubernetes' admission): throws a Status
   * error to refuse. Runs for every create, update, patch, apply and delete, dry runs included.
   */
  admit?(a: Admission): Promise<void>;
  /** After the write committed (never for a dry run): records what must follow it, e.g. evidence. */
  committed?(a: Admission, stored: StellaObject): Promise<void>;
}

/** One value of secret content: where it sits and the group of places it may move within. */
export interface SecretSlot {
  path: readonly string[];
  value: string;
  /** e.g. "data": a value may be copied or moved to any place of its group, and nowhere else. */
  group: string;
}

/**
 * The secret content of a kind (Secret: data values, and the last-applied annotation that repeats
 * them). Roles split writing from reading, so the registry must answer a writer without it.
 */
export interface SecretContent {
  /** A copy of the object without secret content: what a caller who may not read it is shown. */
  redact(obj: StellaObject): StellaObject;
  /** Every secret value of the object. */
  slots(obj: StellaObject): SecretSlot[];
  /** Whether `path` is a place of `group` (where one of its values may be written). */
  accepts(group: string, path: readonly string[]): boolean;
}

/** How a kind's objects are stored: encode before a write, decode after a read (e.g. encryption at rest). */
export interface StorageTransform {
  encode(obj: StellaObject): StellaObject;
  decode(obj: StellaObject): StellaObject;
}

const none: Strategy = {};

/** Looks up the strategy of a kind from a table; kinds without one get the empty strategy. */
export function strategyFor(table: Record<string, Strategy>, kind: string): Strategy {
  return table[kind] ?? none;
}
