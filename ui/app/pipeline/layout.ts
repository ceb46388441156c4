// Where each environment of a pipeline sits: its column is its distance from the first stage (an
// environment sits right of every upstream it names), its row its place within that column.
import type { Environment } from "../../../crds/environment.ts";
import type { Stored } from "../watch.ts";

type Env = Stored<Environment>;

/** Each environment's column: 0 for one with no upstream, else one more than its furthest upstream. */
export function columns(envs: Env[]): Env[][] {
  const byName = new Map(envs.map((e) => [e.metadata.name, e]));
  const depth = new Map<string, number>();
  const depthOf = (e: Env, seen: Set<string>): number => {
    const known = depth.get(e.metadata.name);
    if (known !== undefined) return known;
    seen.add(e.metadata.name);
    const ups = (e.spec.upstream ?? [])
      .map((u) => byName.get(u))
      .filter((u): u is Env => !!u && !seen.has(u.metadata.name));
    const d = ups.length ? 1 + Math.max(...ups.map((u) => depthOf(u, seen))) : 0;
    depth.set(e.metadata.name, d);
    return d;
  };
  const cols: Env[][] = [];
  for (const e of envs) (cols[depthOf(e, new Set())] ??= []).push(e);
  return cols.filter(Boolean);
}

/** An environment's cell in the graph. */
export interface Place {
  env: Env;
  column: number;
  row: number;
}

/** Every environment's column and row, and the edges from each upstream to its downstream. */
export function placeAll(envs: Env[]): { places: Map<string, Place>; edges: [string, string][] } {
  const places = new Map<string, Place>();
  columns(envs).forEach((col, column) =>
    col.forEach((env, row) => places.set(env.metadata.name, { env, column, row })),
  );
  const edges: [string, string][] = [];
  for (const env of envs)
    for (const up of env.spec.upstream ?? []) if (places.has(up)) edges.push([up, env.metadata.name]);
  return { places, edges };
}
