// Following one named object through a watch from the resourceVersion it was read at: each state it
// takes, or undefined once it is deleted. A relist (after a 410) yields the object as listed again.
import type { StellaObject } from "../../crds/meta.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";

/** The states of `first` after it was read, until `signal` aborts; undefined when it is deleted. */
export async function* followObject<T extends StellaObject>(
  resource: ResourceClient<T>,
  first: T,
  signal: AbortSignal,
): AsyncGenerator<T | undefined> {
  const events = resource.watch({
    namespace: first.metadata.namespace,
    fieldSelector: `metadata.name=${first.metadata.name}`,
    resourceVersion: first.metadata.resourceVersion,
    signal,
  });
  for await (const event of events) {
    if (event.type === "RELIST") yield event.items[0];
    else if (event.type === "ADDED" || event.type === "MODIFIED") yield event.object;
    else if (event.type === "DELETED") yield undefined;
  }
}
