// The protobuf wire format, as far as Stella reads it: varints, length-delimited fields, and the
// typed readers the decoders of Kubernetes kinds use.
import { badRequest } from "../../crds/errors.ts";

/** One decoded field: its number and either a varint or the raw bytes of a length-delimited value. */
export interface ProtoField {
  field: number;
  varint?: bigint;
  bytes?: Uint8Array;
}

/** A malformed body, as a 400 naming it. */
export const malformed = (why: string) =>
  badRequest(`the protobuf request body is malformed: ${why}`, [
    { reason: "FieldValueInvalid", field: "body", message: why },
  ]);

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

export const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : "");

/** A repeated string field. */
export const strings = (fields: ProtoField[], n: number) =>
  fields.filter((f) => f.field === n).map((f) => text(f.bytes));

/** A singular string field. */
export const string = (fields: ProtoField[], n: number) => {
  const f = fields.find((x) => x.field === n);
  return f ? text(f.bytes) : undefined;
};

/** A map<string,string> field (entries with key=1, value=2). */
export function stringMap(fields: ProtoField[], n: number): Record<string, string> | undefined {
  const entries = fields.filter((f) => f.field === n);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map((e) => {
      const kv = readFields(e.bytes!);
      return [string(kv, 1) ?? "", string(kv, 2) ?? ""];
    }),
  );
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
