// The `haproxy` router plugin: validates `spec.router.haproxy` and binds a HaproxyRouter to it.
import { haproxyRouter } from "../../../crds/canary.ts";
import { RouterError, type RouterPlugin } from "../../../sdk/plugins/router.ts";
import { HaproxyRouter } from "./router.ts";

/** The HAProxy router plugin (runtime API: weights, server addresses and map entries, no reloads). */
export const haproxyRouterPlugin: RouterPlugin = {
  name: "haproxy",
  connect(settings: unknown) {
    const parsed = haproxyRouter.safeParse(settings);
    if (!parsed.success)
      throw new RouterError("InvalidRouterSettings", `spec.router.haproxy: ${parsed.error.issues[0]?.message}`);
    return new HaproxyRouter(parsed.data);
  },
};
