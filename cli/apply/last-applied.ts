// The `kubectl.kubernetes.io/last-applied-configuration` annotation: the manifest as last
// applied, written exactly as kubectl writes it (keys sorted, Go's JSON escaping, a final
// newline) so stella and kubectl can take turns applying the same objects.
import { sortKeys } from "../output/objects.ts";
import type { JsonObject } from "./merge-patch.ts";

/** The annotation that holds the last applied manifest. */
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** JSON as Go's encoding/json writes a map: sorted keys, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(v: unknown): string {
  return JSON.stringify(sortKeys(v)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The manifest as it is sent by client-side apply: a copy carrying, in its annotations, its own
 * serialization without that annotation (annotations present, perhaps empty, as kubectl does).
 */
export function withLastApplied(manifest: JsonObject): JsonObject {
  const metadata = { ...((manifest.metadata as JsonObject | undefined) ?? {}) };
  const annotations = { ...((metadata.annotations as JsonObject | undefined) ?? {}) };
  delete annotations[LAST_APPLIED];
  const bare = { ...manifest, metadata: { ...metadata, annotations } };
  return {
    ...manifest,
    metadata: { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: goJson(bare) + "\n" } },
  };
}

/** The last applied manifest recorded on a live object, or undefined when there is none (or it is unreadable). */
export function lastAppliedOf(live: { metadata?: { annotations?: Record<string, string> } }): JsonObject | undefined {
  const text = live.metadata?.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
