// The objects a command acts on, from resource arguments: named ones as given, or those a label
// or field selector (or --all) picks, listed once when the command starts.
import type { Client } from "../sdk/client.ts";
import { UsageError } from "./command.ts";
import type { ResourceRef } from "./resource-args.ts";
import type { WaitTarget } from "./wait/wait-all.ts";

/** How a command selects objects besides names. */
export interface TargetSelection {
  /** The namespace for namespaced kinds; undefined: all namespaces (only with a selector or --all). */
  namespace: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
  all?: boolean;
}

/** The objects the refs and selection name; a usage error when a ref names nothing and nothing selects. */
export async function resolveTargets(client: Client, refs: ResourceRef[], sel: TargetSelection): Promise<WaitTarget[]> {
  const selecting = sel.labelSelector !== undefined || sel.fieldSelector !== undefined || !!sel.all;
  const targets: WaitTarget[] = [];
  for (const ref of refs) {
    const namespace = ref.info.namespaced ? sel.namespace : undefined;
    if (ref.names.length > 0) {
      if (selecting) throw new UsageError("give names or a selector (-l, --field-selector, --all), not both");
      if (ref.info.namespaced && namespace === undefined)
        throw new UsageError("objects cannot be named across all namespaces (-A): give -n NAMESPACE");
      targets.push(...ref.names.map((name) => ({ info: ref.info, namespace, name })));
      continue;
    }
    if (!selecting)
      throw new UsageError(
        `name the ${ref.info.plural} (e.g. ${ref.info.singular}/NAME), or select them with -l or --all`,
      );
    const { items } = await client
      .resource(ref.info)
      .listAll({ namespace, labelSelector: sel.labelSelector, fieldSelector: sel.fieldSelector });
    targets.push(
      ...items.map((o) => ({
        info: ref.info,
        namespace: o.metadata.namespace,
        name: o.metadata.name!,
        uid: o.metadata.uid,
      })),
    );
  }
  return targets;
}
