// Just enough of the Kubernetes protobuf encoding to accept what kubectl sends for core types
// (`kubectl create namespace` posts `application/vnd.kubernetes.protobuf`): the "k8s\0"
// envelope around a runtime.Unknown, and a field reader. Stella always answers in JSON.
import { badRequest } from "../../crds/errors.ts";
import { decodeReview } from "./protobuf-reviews.ts";
import { malformed, objectMeta, readFields, string, strings, text } from "./protobuf-wire.ts";

/** The media type kubectl uses for built-in kinds. */
export const PROTOBUF = "application/vnd.kubernetes.protobuf";

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Unwraps the envelope: the TypeMeta and the raw bytes of the object. */
export function unwrapEnvelope(body: Uint8Array): { apiVersion: string; kind: string; raw: Uint8Array } {
  if (body.length < 4 || MAGIC.some((m, i) => body[i] !== m)) throw malformed("missing the k8s protobuf prefix");
  const unknown = readFields(body.subarray(4));
  const typeMeta = readFields(unknown.find((f) => f.field === 1)?.bytes ?? new Uint8Array());
  return {
    apiVersion: text(typeMeta.find((f) => f.field === 1)?.bytes),
    kind: text(typeMeta.find((f) => f.field === 2)?.bytes),
    raw: unknown.find((f) => f.field === 2)?.bytes ?? new Uint8Array(),
  };
}

/** Decodes the core kinds Stella serves from protobuf into their JSON form. */
export function decodeProtobufObject(body: Uint8Array): unknown {
  const { apiVersion, kind, raw } = unwrapEnvelope(body);
  const fields = readFields(raw);
  if (kind === "Namespace") {
    const spec = readFields(fields.find((f) => f.field === 2)?.bytes ?? new Uint8Array());
    const finalizers = strings(spec, 1);
    return {
      apiVersion: apiVersion || "v1",
      kind,
      metadata: objectMeta(fields.find((f) => f.field === 1)?.bytes),
      spec: finalizers.length ? { finalizers } : {},
    };
  }
  if (kind === "DeleteOptions") {
    const out: Record<string, unknown> = { apiVersion, kind };
    const policy = string(fields, 4);
    if (policy) out.propagationPolicy = policy;
    const dryRun = strings(fields, 5);
    if (dryRun.length) out.dryRun = dryRun;
    return out;
  }
  const review = decodeReview(apiVersion, kind, fields);
  if (review) return review;
  throw badRequest(
    `protobuf bodies are accepted only for Namespace, DeleteOptions and the self-subject reviews; send ${kind || "this object"} as JSON or YAML`,
    [{ reason: "FieldValueNotSupported", field: "kind", message: `protobuf ${kind}` }],
  );
}
