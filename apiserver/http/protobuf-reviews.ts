// The self-subject reviews as kubectl sends them (protobuf, being built-in types): field numbers
// from k8s.io/api/authorization/v1 and authentication/v1 generated.proto.
import { objectMeta, readFields, string, type ProtoField } from "./protobuf-wire.ts";

const message = (fields: ProtoField[], n: number) =>
  readFields(fields.find((f) => f.field === n)?.bytes ?? new Uint8Array());
const has = (fields: ProtoField[], n: number) => fields.some((f) => f.field === n);

/** Drops keys whose value is undefined or "". */
const compact = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ""));

/** The JSON form of a review kind, or undefined when `kind` is none of them. */
export function decodeReview(apiVersion: string, kind: string, fields: ProtoField[]): unknown {
  const metadata = objectMeta(fields.find((f) => f.field === 1)?.bytes);
  if (kind === "SelfSubjectReview") return { apiVersion, kind, metadata };
  const spec = message(fields, 2);
  if (kind === "SelfSubjectRulesReview")
    return { apiVersion, kind, metadata, spec: compact({ namespace: string(spec, 1) }) };
  if (kind !== "SelfSubjectAccessReview") return undefined;
  const out: Record<string, unknown> = {};
  if (has(spec, 1)) {
    const ra = message(spec, 1);
    const keys = ["namespace", "verb", "group", "version", "resource", "subresource", "name"];
    out.resourceAttributes = compact(Object.fromEntries(keys.map((k, i) => [k, string(ra, i + 1)])));
  }
  if (has(spec, 2)) {
    const nra = message(spec, 2);
    out.nonResourceAttributes = compact({ path: string(nra, 1), verb: string(nra, 2) });
  }
  return { apiVersion, kind, metadata, spec: out };
}
