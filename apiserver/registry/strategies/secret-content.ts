// What of a Secret is secret: the values of `data` (stringData is folded into data before any
// response or storage) and the `kubectl.kubernetes.io/last-applied-configuration` annotation, which
// client-side apply fills with the manifest, stringData and data included. Keys and managedFields
// (which name keys, never values) are not secret content.
import type { StellaObject } from "../../../crds/meta.ts";
import type { SecretContent, SecretSlot } from "../strategy.ts";

/** The annotation in which kubectl and `stella apply` keep the manifest they last applied. */
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

type SecretLike = StellaObject & { data?: Record<string, unknown>; stringData?: unknown };

/** Secret content of the Secret kind. */
export const secretContent: SecretContent = {
  redact(obj) {
    const { data: _data, stringData: _stringData, ...rest } = obj as SecretLike;
    const annotations = rest.metadata.annotations;
    if (!annotations || !(LAST_APPLIED in annotations)) return rest as StellaObject;
    const { [LAST_APPLIED]: _lastApplied, ...others } = annotations;
    const { annotations: _all, ...metadata } = rest.metadata;
    return {
      ...rest,
      metadata: Object.keys(others).length > 0 ? { ...metadata, annotations: others } : metadata,
    } as StellaObject;
  },
  slots(obj) {
    const s = obj as SecretLike;
    const slots: SecretSlot[] = [];
    for (const [key, value] of Object.entries(s.data ?? {}))
      if (typeof value === "string") slots.push({ path: ["data", key], value, group: "data" });
    const applied = s.metadata.annotations?.[LAST_APPLIED];
    if (typeof applied === "string")
      slots.push({ path: ["metadata", "annotations", LAST_APPLIED], value: applied, group: LAST_APPLIED });
    return slots;
  },
  accepts(group, path) {
    if (group === "data") return path.length === 2 && path[0] === "data";
    return path.length === 3 && path[0] === "metadata" && path[1] === "annotations" && path[2] === group;
  },
};
