// The segments of a request path, decoded once and checked before anything else reads them.
// A name or namespace in a path ends up in storage keys, the audit log and error messages:
// control characters (NUL above all: PostgreSQL text can not hold it) and undecodable escapes
// are refused here with a 400, as kube-apiserver refuses path segments it can not use.
import { ApiError } from "../../crds/errors.ts";

// C0 controls, DEL and C1 controls: never part of a name, a namespace or a resource.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A UTF-16 surrogate not paired with its other half (only reachable through a raw request).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const badPath = (message: string) =>
  new ApiError(400, "BadRequest", `invalid request path: ${message}`, {
    causes: [{ reason: "FieldValueInvalid", message, field: "path" }],
  });

/** Whether a string holds something no stored or logged text may hold (control characters, lone surrogates). */
export const hasUnsafeText = (s: string): boolean => CONTROL.test(s) || LONE_SURROGATE.test(s);

/** The decoded segments of a raw (still percent-encoded) path; throws 400 on what no segment may be. */
export function pathSegments(rawPath: string): string[] {
  return rawPath
    .split("/")
    .filter((p) => p !== "")
    .map((raw) => {
      let segment: string;
      try {
        segment = decodeURIComponent(raw);
      } catch {
        throw badPath(`segment ${JSON.stringify(raw.slice(0, 64))} is not valid percent-encoded UTF-8`);
      }
      if (hasUnsafeText(segment)) throw badPath("a path segment may not contain control characters");
      // kube-apiserver's ValidatePathSegmentName: these can never name an object.
      if (segment === "." || segment === ".." || segment.includes("/") || segment.includes("%"))
        throw badPath(
          `a path segment may not be "." or ".." or contain "/" or "%": ${JSON.stringify(segment.slice(0, 64))}`,
        );
      return segment;
    });
}

/** The raw path of a request URL, before any decoding. */
export const rawPathOf = (url: string): string => new URL(url).pathname;
