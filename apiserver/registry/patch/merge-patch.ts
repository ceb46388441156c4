// JSON merge patch (RFC 7386): the patch mirrors the document; members set to null are deleted,
// objects merge member by member, anything else (arrays included) replaces the target outright.
import { cloneJson, isPlainObject, ownMember, setMember } from "./json-value.ts";

/**
 * Applies an RFC 7386 merge patch and returns the result; neither argument is mutated and the result shares nothing
 * with them.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? cloneJson(target) : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete out[name];
    else if (value !== undefined) setMember(out, name, applyMergePatch(ownMember(out, name), value));
  }
  return out;
}
