// Namespaces are explicit resources, as in Kubernetes: `default` exists from the first start,
// others are created (`kubectl create namespace shop`) before anything is put in them, and
// deleting one deletes everything inside it before the namespace itself goes.
import { isAlreadyExists } from "../../crds/errors.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Strategy } from "./strategy.ts";
import type { Store } from "./store.ts";

/** Holds a namespace until the garbage collector has deleted its content. */
export const NAMESPACE_FINALIZER = "stella.io/namespace-content";

/** The namespace that always exists. */
export const DEFAULT_NAMESPACE = "default";

/** Namespace: born Active with the content finalizer; one that holds sealed evidence is never deleted. */
export const namespaceStrategy: Strategy = {
  async forbidDelete(obj, contains) {
    const name = obj.metadata.name ?? "";
    // Evidence is write-once and undeletable; emptying the namespace would stop at it forever.
    if (await contains("EvidencePacket", name))
      return `namespace "${name}" holds sealed evidence, which is never deleted; export it with \`stella evidence export -n ${name}\` and keep the namespace`;
    return undefined;
  },
  defaults(obj) {
    const finalizers = obj.metadata.finalizers ?? [];
    if (!finalizers.includes(NAMESPACE_FINALIZER)) obj.metadata.finalizers = [...finalizers, NAMESPACE_FINALIZER];
    obj.status = { phase: "Active" };
  },
};

/** Creates the default namespace unless it exists. */
export async function ensureDefaultNamespace(store: Store, info: KindInfo): Promise<void> {
  try {
    await store.create(
      info,
      undefined,
      { apiVersion: "v1", kind: "Namespace", metadata: { name: DEFAULT_NAMESPACE }, spec: {} },
      { fieldManager: "stella-apiserver" },
    );
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}
