// Checks every router makes the same way: a weight is a whole percentage, and a route read back
// equals the route asked for (order does not matter, header names are case-insensitive).
import { RouterError, type RouteMatch } from "../../sdk/plugins/router.ts";

/** Throws RouterError InvalidWeight unless `weight` is a whole number from 0 to 100. */
export function checkWeight(weight: number): void {
  if (!Number.isInteger(weight) || weight < 0 || weight > 100)
    throw new RouterError("InvalidWeight", `weight ${weight} is not a whole percentage from 0 to 100`);
}

function key(m: RouteMatch): string {
  return JSON.stringify([m.cookie ? "cookie" : "header", m.cookie ? m.name : m.name.toLowerCase(), m.value]);
}

/** Whether two lists of matches say the same thing. */
export function sameMatches(a: readonly RouteMatch[], b: readonly RouteMatch[]): boolean {
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}
