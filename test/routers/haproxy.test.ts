// The HAProxy router against a real haproxy (Debian package) of this test's own: see haproxy-server.ts.
import { haproxyRouterPlugin } from "../../controllers/routers/haproxy/index.ts";
import { routerConformance } from "../../sdk/testing/router-conformance.ts";
import { startHaproxy } from "./haproxy-server.ts";
import { routerSkipReason } from "./router-env.ts";

routerConformance({
  name: "haproxy",
  skip: await routerSkipReason("haproxy"),
  async setup(backends) {
    const server = await startHaproxy("conformance_web", backends);
    const router = haproxyRouterPlugin.connect({ runtimeApi: server.runtimeApi, backend: server.backend });
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
