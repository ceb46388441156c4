// The nginx router plugin; see render.ts for the configuration it generates.
export { nginxRouterPlugin } from "./plugin.ts";
export { NginxRouter, type NginxSettings } from "./router.ts";
export { renderConfig, STATE_PATH } from "./render.ts";
export { upstreamPrefix } from "./router.ts";
