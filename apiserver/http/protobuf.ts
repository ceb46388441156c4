// Just enough of the Kubernetes protobuf encoding to accept what kubectl sends for core types
// (`kubectl create namespace` posts `application/vnd.kubernetes.protobuf`): the "k8s\0"
// envelope around a runtime.Unknown, and a field reader. Stella always answers in JSON.
import { badRequest } from "../../crds/errors.ts";

/** The media type kubectl uses for built-in kinds. */
export const PROTOBUF = "application/vnd.kubernetes.protobuf";

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** One decoded field: its number and either a varint or the raw bytes of a length-delimited value. */
export interface ProtoField {
  field: number;
  varint?: bigint;
  bytes?: Uint8Array;
}

const malformed = (why: string) => badRequest(`the protobuf request body is malformed: ${why}`, [{ reason: "FieldValueInvalid", field: "body", message: why }]);

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw malformed("truncated varint");
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw malformed("varint too long");
  }
}

/** Splits a protobuf message into its fields, in order. */
export function readFields(buf: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const field = Number(key >> 3n);
    switch (Number(key & 7n)) {
      case 0: {
        const [v, p] = readVarint(buf, pos);
        fields.push({ field, varint: v });
        pos = p;
        break;
      }
      case 1:
        pos += 8;
        break;
      case 2: {
        const [len, p] = readVarint(buf, pos);
        const end = p + Number(len);
        if (end > buf.length) throw malformed("length past the end of the message");
        fields.push({ field, bytes: buf.subarray(p, end) });
        pos = end;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw malformed(`unsupported wire type ${Number(key & 7n)}`);
    }
  }
  return fields;
}

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : "");

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

/** A repeated string field. */
export const strings = (fields: ProtoField[], n: number) => fields.filter((f) => f.field === n).map((f) => text(f.bytes));

/** A singular string field. */
export const string = (fields: ProtoField[], n: number) => {
  const f = fields.find((x) => x.field === n);
  return f ? text(f.bytes) : undefined;
};

/** A map<string,string> field (entries with key=1, value=2). */
export function stringMap(fields: ProtoField[], n: number): Record<string, string> | undefined {
  const entries = fields.filter((f) => f.field === n);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map((e) => {
    const kv = readFields(e.bytes!);
    return [string(kv, 1) ?? "", string(kv, 2) ?? ""];
  }));
}

/** ObjectMeta's user-settable fields: name, generateName, namespace, labels, annotations, finalizers. */
export function objectMeta(bytes: Uint8Array | undefined): Record<string, unknown> {
  const f = readFields(bytes ?? new Uint8Array());
  const meta: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => v !== undefined && v !== "" && (meta[k] = v);
  put("name", string(f, 1));
  put("generateName", string(f, 2));
  put("namespace", string(f, 3));
  put("resourceVersion", string(f, 6));
  put("labels", stringMap(f, 11));
  put("annotations", stringMap(f, 12));
  const finalizers = strings(f, 14);
  if (finalizers.length) meta.finalizers = finalizers;
  return meta;
}

/** Decodes the core kinds Stella serves from protobuf into their JSON form. */
export function decodeProtobufObject(body: Uint8Array): unknown {
  const { apiVersion, kind, raw } = unwrapEnvelope(body);
  const fields = readFields(raw);
  if (kind === "Namespace") {
    const spec = readFields(fields.find((f) => f.field === 2)?.bytes ?? new Uint8Array());
    const finalizers = strings(spec, 1);
    return { apiVersion: apiVersion || "v1", kind, metadata: objectMeta(fields.find((f) => f.field === 1)?.bytes), spec: finalizers.length ? { finalizers } : {} };
  }
  if (kind === "DeleteOptions") {
    const out: Record<string, unknown> = { apiVersion, kind };
    const policy = string(fields, 4);
    if (policy) out.propagationPolicy = policy;
    const dryRun = strings(fields, 5);
    if (dryRun.length) out.dryRun = dryRun;
    return out;
  }
  throw badRequest(`protobuf bodies are accepted only for Namespace and DeleteOptions; send ${kind || "this object"} as JSON or YAML`, [{ reason: "FieldValueNotSupported", field: "kind", message: `protobuf ${kind}` }]);
}
