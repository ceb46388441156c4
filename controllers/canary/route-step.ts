// The match routes of setHeaderRoute and setCookieRoute steps, as the Router contract takes them.
// Routers match exact values only; a header step asking for a prefix or regex is refused.
import type { CanaryStep } from "../../crds/canary.ts";
import { RouterError, type RouteMatch } from "../../sdk/plugins/router.ts";

/** A route step: its name, matches (none: remove the route), and the reason its evidence gives. */
export interface RouteStep {
  name: string;
  matches: RouteMatch[];
  reason: "SetHeaderRoute" | "SetCookieRoute";
}

/** The router matches of a setHeaderRoute step; only exact values are routable. */
export function routeMatches(step: NonNullable<CanaryStep["setHeaderRoute"]>): RouteMatch[] {
  return (step.match ?? []).map((m) => {
    if (m.headerValue.exact === undefined)
      throw new RouterError("RouterRefused", `route ${step.name}: routers match exact header values only`);
    return { name: m.headerName, value: m.headerValue.exact };
  });
}

/** The route a step sets, or undefined when it is not a route step. */
export function routeStep(step: CanaryStep): RouteStep | undefined {
  if (step.setHeaderRoute)
    return { name: step.setHeaderRoute.name, matches: routeMatches(step.setHeaderRoute), reason: "SetHeaderRoute" };
  if (step.setCookieRoute) {
    const matches = (step.setCookieRoute.match ?? []).map((m) => ({
      name: m.cookieName,
      value: m.cookieValue.exact,
      cookie: true,
    }));
    return { name: step.setCookieRoute.name, matches, reason: "SetCookieRoute" };
  }
  return undefined;
}
