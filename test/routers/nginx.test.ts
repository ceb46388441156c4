// The nginx router against a real nginx (Debian package) of this test's own: see nginx-server.ts.
import { nginxRouterPlugin } from "../../controllers/routers/nginx/index.ts";
import { routerConformance } from "../../sdk/testing/router-conformance.ts";
import { startNginx } from "./nginx-server.ts";
import { routerSkipReason } from "./router-env.ts";

routerConformance({
  name: "nginx",
  skip: await routerSkipReason("nginx"),
  async setup() {
    const server = await startNginx();
    const router = nginxRouterPlugin.connect(server.settings);
    return {
      router,
      entry: server.entry,
      stop: () => server.stop(),
      async cleanup() {
        await router.close();
        await server.cleanup();
      },
    };
  },
});
