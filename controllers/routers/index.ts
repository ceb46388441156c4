// The routers built into Stella, by name (Canary.spec.router.plugin), one package each behind
// sdk/plugins/router.ts and passing sdk/testing/router-conformance.ts.
import type { RouterPlugin } from "../../sdk/plugins/router.ts";
import { haproxyRouterPlugin } from "./haproxy/index.ts";
import { nginxRouterPlugin } from "./nginx/index.ts";

/** Every built-in router plugin. */
export const builtinRouters: readonly RouterPlugin[] = [haproxyRouterPlugin, nginxRouterPlugin];

/** The built-in plugin of that name, if there is one. */
export function findRouter(name: string): RouterPlugin | undefined {
  return builtinRouters.find((r) => r.name === name);
}
