// Resolution: every component gets a digest exactly once. A pinned image (`repo@sha256:…`) is its
// own digest, known offline. A tag is asked of the registry once; what it answered is kept in
// status from then on, even while other components still fail, so no tag is ever asked twice.
import { pinnedReference } from "../../crds/image.ts";
import type { ReleaseComponent, ResolvedComponent } from "../../crds/release.ts";
import { componentFailure, type ComponentFailure } from "./failures.ts";
import { parseReference } from "../oci/index.ts";
import type { PullCredentials, RegistryClient } from "../oci/index.ts";

/** What resolution found: the digests known so far (in spec order) and what failed. */
export interface Resolution {
  components: ResolvedComponent[];
  failures: ComponentFailure[];
}

/** What resolution needs. */
export interface ResolveDeps {
  registry: RegistryClient;
  /** The release's pull credentials; called only when some tag must be asked of a registry. */
  pullCredentials(): Promise<PullCredentials>;
  now: string;
}

/** Resolves the components not yet in `known` (matched by name and image); keeps the rest as they are. */
export async function resolveComponents(
  spec: readonly ReleaseComponent[],
  known: readonly ResolvedComponent[] | undefined,
  deps: ResolveDeps,
): Promise<Resolution> {
  const kept = new Map((known ?? []).map((c) => [c.name, c]));
  const todo = spec.filter((c) => kept.get(c.name)?.image !== c.image);
  let loading: Promise<PullCredentials> | undefined;
  const outcomes = await Promise.all(
    todo.map(async (c): Promise<ResolvedComponent | ComponentFailure> => {
      const pinned = pinnedComponent(c, deps.now);
      if (pinned) return pinned;
      const pulls = await (loading ??= deps.pullCredentials());
      const login = pulls.for(parseReference(c.image).registry);
      try {
        const resolved = await deps.registry.resolve(c.image, { credentials: login?.credentials });
        return {
          name: c.name,
          image: c.image,
          digest: resolved.digest,
          imageRef: resolved.pinned,
          resolvedAt: deps.now,
        };
      } catch (err) {
        return componentFailure(c.name, c.image, err, login, pulls);
      }
    }),
  );
  const fresh = new Map<string, ResolvedComponent>();
  const failures: ComponentFailure[] = [];
  for (const o of outcomes) {
    if ("digest" in o) fresh.set(o.name, o);
    else failures.push(o);
  }
  const components = spec.flatMap((c) => {
    const r = fresh.get(c.name) ?? kept.get(c.name);
    return r && r.image === c.image ? [r] : [];
  });
  return { components, failures };
}

// A pinned image resolves to its own digest without any registry.
function pinnedComponent(c: ReleaseComponent, now: string): ResolvedComponent | undefined {
  let where;
  try {
    where = parseReference(c.image);
  } catch {
    return undefined; // the registry path reports the invalid reference
  }
  if (!where.digest) return undefined;
  return {
    name: c.name,
    image: c.image,
    digest: where.digest,
    imageRef: pinnedReference(where.name, where.digest),
    resolvedAt: now,
  };
}
