// Checks on a request body before any kind-specific work: it is an object of the right kind,
// and its resourceVersion, if any, is one this server could have issued.
import { badRequest, invalid } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { apiVersionOf } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { errorTarget } from "./keys.ts";

/** Asserts the body is a JSON object of this kind (apiVersion and kind defaulted when absent). */
export function asObject(info: KindInfo, body: unknown): StellaObject {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw badRequest(`the request body must be a ${info.kind} object`, [
      { reason: "FieldValueInvalid", message: "expected a JSON object", field: "" },
    ]);
  const obj = body as StellaObject;
  obj.apiVersion ??= apiVersionOf(info);
  obj.kind ??= info.kind;
  if (obj.metadata === undefined) obj.metadata = {};
  checkEnvelope(info, obj);
  const causes = [];
  if (obj.apiVersion !== apiVersionOf(info))
    causes.push({
      reason: "FieldValueInvalid",
      field: "apiVersion",
      message: `must be ${apiVersionOf(info)} for ${info.plural}, got ${JSON.stringify(obj.apiVersion)}`,
    });
  if (obj.kind !== info.kind)
    causes.push({
      reason: "FieldValueInvalid",
      field: "kind",
      message: `must be ${info.kind} for ${info.plural}, got ${JSON.stringify(obj.kind)}`,
    });
  if (causes.length > 0) throw badRequest(causes.map((c) => `${c.field}: ${c.message}`).join(", "), causes);
  return obj;
}

const isPlainObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Throws 422 unless metadata, spec and status (where present) are objects. Strategies and the
 * metadata code run before schema validation (defaults come first, as in Kubernetes), and
 * every one of them may take these three for objects; so does this check, for every body and
 * for every patched result.
 */
export function checkEnvelope(info: KindInfo, obj: StellaObject): void {
  if (!isPlainObject(obj))
    throw invalid(errorTarget(info), [
      { reason: "FieldValueTypeInvalid", field: "", message: "Invalid value: must be of type object" },
    ]);
  const causes = (["metadata", "spec", "status"] as const)
    .filter((field) => (field === "metadata" || obj[field] !== undefined) && !isPlainObject(obj[field]))
    .map((field) => ({ reason: "FieldValueTypeInvalid", field, message: "Invalid value: must be of type object" }));
  if (causes.length > 0)
    throw invalid(errorTarget(info, isPlainObject(obj.metadata) ? obj.metadata.name : undefined), causes);
}

/** Parses a resourceVersion given by a client; throws 400 naming `field` if it is not one of ours. */
export function parseResourceVersion(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !/^[0-9]{1,15}$/.test(value))
    throw badRequest(
      `invalid resource version ${JSON.stringify(value)}: must be a resourceVersion returned by this server`,
      [{ reason: "FieldValueInvalid", message: "not a valid resourceVersion", field }],
    );
  return Number(value);
}
