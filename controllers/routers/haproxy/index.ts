// The HAProxy router plugin; see maps.ts for the configuration it expects.
export { haproxyRouterPlugin } from "./plugin.ts";
export { HaproxyRouter, type HaproxySettings } from "./router.ts";
export { mapFileName } from "./maps.ts";
