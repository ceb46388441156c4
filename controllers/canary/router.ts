// Binding a canary to its router: the built-in plugin spec.router.plugin names, with its own
// settings block. Plugins loaded from disk are not built in yet: InvalidRouterSettings says so.
import type { Canary } from "../../crds/canary.ts";
import { RouterError, type Router } from "../../sdk/plugins/router.ts";
import { findRouter } from "../routers/index.ts";

/** The router `canary.spec.router` names, connected to its settings. */
export function routerFor(canary: Canary): Router {
  const { plugin } = canary.spec.router;
  const found = findRouter(plugin);
  if (!found) throw new RouterError("InvalidRouterSettings", `no built-in router plugin ${plugin}`);
  const settings = (canary.spec.router as Record<string, unknown>)[plugin] ?? canary.spec.router.config;
  return found.connect(settings);
}
