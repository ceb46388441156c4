// The `nginx` router plugin: validates `spec.router.nginx` and binds an NginxRouter to it.
import { nginxRouter } from "../../../crds/canary.ts";
import { RouterError, type RouterPlugin } from "../../../sdk/plugins/router.ts";
import { NginxRouter } from "./router.ts";

/** The nginx router plugin (generated upstream/map configuration and a graceful reload). */
export const nginxRouterPlugin: RouterPlugin = {
  name: "nginx",
  connect(settings: unknown) {
    const parsed = nginxRouter.safeParse(settings);
    if (!parsed.success)
      throw new RouterError("InvalidRouterSettings", `spec.router.nginx: ${parsed.error.issues[0]?.message}`);
    return new NginxRouter(parsed.data);
  },
};
