// Where a stored packet differs from the Statement it signed, as packet field paths: a changed
// spec.decision.outcome reads as exactly that, not as "the payload differs".
import { PREDICATE_FIELD_SOURCES, canonicalBytes } from "../../crds/evidence-seal.ts";

/** One differing leaf: the packet's field path, the signed value and the stored value. */
export interface FieldDifference {
  field: string;
  signed: unknown;
  stored: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Equality as canonical JSON (so 1 and 1.0, or reordered keys, are equal), tolerant of values JSON can not carry. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return canonicalBytes(a).equals(canonicalBytes(b));
  } catch {
    return false;
  }
}

/** The leaf paths below `path` where `signed` and `stored` differ; arrays of different lengths differ as a whole. */
export function differences(
  signed: unknown,
  stored: unknown,
  path: string,
  out: FieldDifference[] = [],
): FieldDifference[] {
  if (sameJson(signed, stored)) return out;
  if (isPlainObject(signed) && isPlainObject(stored)) {
    for (const key of [...new Set([...Object.keys(signed), ...Object.keys(stored)])].sort())
      differences(signed[key], stored[key], `${path}.${key}`, out);
  } else if (Array.isArray(signed) && Array.isArray(stored) && signed.length === stored.length) {
    signed.forEach((v, i) => differences(v, stored[i], `${path}[${i}]`, out));
  } else {
    out.push({ field: path, signed, stored });
  }
  return out;
}

/** Where a predicate key lives in a packet: the seal and metadata fields by name, everything else under spec. */
export function packetFieldOf(predicateKey: string): string {
  return (PREDICATE_FIELD_SOURCES as Record<string, string>)[predicateKey] ?? `spec.${predicateKey}`;
}

/** The differences between a signed predicate and the one the stored packet implies, as packet fields. */
export function predicateDifferences(
  signed: Record<string, unknown>,
  stored: Record<string, unknown>,
): FieldDifference[] {
  const out: FieldDifference[] = [];
  for (const key of [...new Set([...Object.keys(signed), ...Object.keys(stored)])].sort())
    differences(signed[key], stored[key], packetFieldOf(key), out);
  return out;
}
