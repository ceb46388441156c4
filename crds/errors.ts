// Kubernetes `Status` errors. Every non-2xx answer of the API is one of these, and every
// client-side check asks `isNotFound(err)` / `isConflict(err)`, never message text.

/** One cause of an Invalid (or other) error: the offending field path and what is wrong. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** The reasons Stella uses, a subset of metav1.StatusReason. */
export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "RequestEntityTooLarge"
  | "UnsupportedMediaType"
  | "TooManyRequests"
  | "InternalError"
  | "ServiceUnavailable"
  | "Timeout";

/** The `details` of a Status: which object, and the field causes. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The wire form of a failed request (metav1.Status). */
export interface StatusObject {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** An API failure with its HTTP code, Kubernetes reason and field causes. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details: StatusDetails = {},
  ) {
    super(message);
  }

  /** The Status object to send on the wire. */
  toStatus(): StatusObject {
    const status: StatusObject = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (Object.keys(this.details).length > 0) status.details = this.details;
    return status;
  }

  /** Rebuilds an ApiError from a Status body received over the wire. */
  static fromStatus(status: StatusObject): ApiError {
    return new ApiError(status.code, status.reason, status.message, status.details ?? {});
  }
}

/** Names the object an error is about, as Kubernetes does: `widgets.group "name"`. */
export interface ErrorTarget {
  group: string;
  kind: string;
  plural: string;
  name?: string;
}

const qualified = (t: ErrorTarget) => (t.group ? `${t.plural}.${t.group}` : t.plural);

export const badRequest = (message: string, causes?: StatusCause[]) =>
  new ApiError(400, "BadRequest", message, causes ? { causes } : {});

export const unauthorized = (message: string) => new ApiError(401, "Unauthorized", message);

export const forbidden = (message: string, t?: ErrorTarget) =>
  new ApiError(403, "Forbidden", message, t ? { name: t.name, group: t.group, kind: t.plural } : {});

export const notFound = (t: ErrorTarget) =>
  new ApiError(404, "NotFound", `${qualified(t)} "${t.name}" not found`, {
    name: t.name,
    group: t.group,
    kind: t.plural,
  });

export const alreadyExists = (t: ErrorTarget) =>
  new ApiError(409, "AlreadyExists", `${qualified(t)} "${t.name}" already exists`, {
    name: t.name,
    group: t.group,
    kind: t.plural,
  });

export const conflict = (t: ErrorTarget, why: string, causes?: StatusCause[]) =>
  new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualified(t)} "${t.name}": ${why}`, {
    name: t.name,
    group: t.group,
    kind: t.plural,
    ...(causes ? { causes } : {}),
  });

/** 422: the object is invalid; the message lists every cause as `field: message`. */
export const invalid = (t: ErrorTarget, causes: StatusCause[]) => {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(", ");
  return new ApiError(422, "Invalid", `${t.kind} "${t.name ?? ""}" is invalid: ${list}`, {
    name: t.name,
    group: t.group,
    kind: t.kind,
    causes,
  });
};

/** 410: the requested resourceVersion is older than the retained event window. */
export const gone = (message: string) => new ApiError(410, "Expired", message);

export const methodNotAllowed = (message: string) => new ApiError(405, "MethodNotAllowed", message);
export const notAcceptable = (message: string) => new ApiError(406, "NotAcceptable", message);
export const tooLarge = (message: string) => new ApiError(413, "RequestEntityTooLarge", message);
export const unsupportedMediaType = (message: string) => new ApiError(415, "UnsupportedMediaType", message);
export const internal = (message: string) => new ApiError(500, "InternalError", message);
export const unavailable = (message: string) => new ApiError(503, "ServiceUnavailable", message);

const hasCode = (err: unknown, code: number): boolean => err instanceof ApiError && err.code === code;

export const isBadRequest = (err: unknown) => hasCode(err, 400);
export const isUnauthorized = (err: unknown) => hasCode(err, 401);
export const isForbidden = (err: unknown) => hasCode(err, 403);
export const isNotFound = (err: unknown) => hasCode(err, 404);
export const isAlreadyExists = (err: unknown) => err instanceof ApiError && err.reason === "AlreadyExists";
export const isConflict = (err: unknown) => err instanceof ApiError && err.reason === "Conflict";
export const isGone = (err: unknown) => hasCode(err, 410);
export const isInvalid = (err: unknown) => hasCode(err, 422);
export const isTooLarge = (err: unknown) => hasCode(err, 413);
