// Where a manifest's object goes: its namespace (the manifest's, else -n, else the context's)
// and name. A manifest that names a namespace other than an explicit -n is refused, as kubectl
// refuses it, so `-n prod` never silently writes to staging.
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Session } from "../session.ts";
import type { Manifest } from "./load.ts";

/** A manifest placed: the object to send, with its namespace set (or removed for cluster-scoped kinds). */
export interface Placed {
  info: KindInfo;
  name: string;
  namespace: string | undefined;
  object: Manifest["object"];
  /** `file document N`, for messages. */
  origin: string;
}

/** An object that cannot be placed (namespace mismatch, no name). */
export class PlacementError extends Error {
  override readonly name = "PlacementError";
}

/** `estate.yaml document 4`. */
export const originOf = (m: { source: string; document: number }): string => `${m.source} document ${m.document}`;

/** Places a manifest for `session`; throws PlacementError. */
export function place(m: Manifest, session: Pick<Session, "namespace" | "namespaceFlag">): Placed {
  const origin = originOf(m);
  const name = m.object.metadata.name;
  if (!name) throw new PlacementError("metadata.name is not set (generateName is not supported by apply)");
  const metadata = { ...m.object.metadata };
  let namespace: string | undefined;
  if (m.info.namespaced) {
    if (metadata.namespace && session.namespaceFlag && metadata.namespace !== session.namespaceFlag)
      throw new PlacementError(
        `the manifest's namespace "${metadata.namespace}" does not match -n ${session.namespaceFlag} (pass -n ${metadata.namespace}, or leave -n out)`,
      );
    namespace = metadata.namespace ?? session.namespace;
    metadata.namespace = namespace;
  } else delete metadata.namespace;
  return { info: m.info, name, namespace, object: { ...m.object, metadata }, origin };
}
