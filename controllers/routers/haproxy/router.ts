// The HAProxy router: a thin front handing each verb of the Router contract to its topic file
// (slots: addresses and weights; maps: routes) and reading back every change before it resolves.
import type { z } from "zod";
import type { haproxyRouter } from "../../../crds/canary.ts";
import {
  RouterError,
  type RouteMatch,
  type Router,
  type RouteState,
  type RouteTarget,
} from "../../../sdk/plugins/router.ts";
import { readRoutes, writeRoute } from "./maps.ts";
import { parseRuntimeAddress, type RuntimeAddress } from "./runtime-api.ts";
import { type BackendServers, readCanaryWeight, writeSlots } from "./slots.ts";
import { checkWeight, sameMatches } from "../route-checks.ts";

/** Settings of `spec.router.haproxy`. */
export type HaproxySettings = z.infer<typeof haproxyRouter>;

/** A Router driving one HAProxy backend through its runtime API. */
export class HaproxyRouter implements Router {
  readonly #api: RuntimeAddress;
  readonly #servers: BackendServers;

  constructor(settings: HaproxySettings) {
    this.#api = parseRuntimeAddress(settings.runtimeApi);
    this.#servers = {
      backend: settings.backend,
      stable: settings.stableServer ?? "stable",
      canary: settings.canaryServer ?? "canary",
    };
  }

  async setWeight(target: RouteTarget, weight: number, signal?: AbortSignal): Promise<void> {
    checkWeight(weight);
    await writeSlots(this.#api, this.#servers, target, weight, signal);
    const seen = await readCanaryWeight(this.#api, this.#servers, signal);
    if (seen !== weight)
      throw new RouterError("RouterRefused", `HAProxy reports canary weight ${seen} after setting ${weight}`);
  }

  async setMatchRoute(target: RouteTarget, name: string, matches: readonly RouteMatch[], signal?: AbortSignal) {
    const weight = await readCanaryWeight(this.#api, this.#servers, signal);
    await writeSlots(this.#api, this.#servers, target, weight, signal);
    await writeRoute(this.#api, this.#servers.backend, name, matches, signal);
    const seen = (await readRoutes(this.#api, this.#servers.backend, signal))[name] ?? [];
    if (!sameMatches(seen, matches))
      throw new RouterError("RouterRefused", `HAProxy reports route ${name} as ${JSON.stringify(seen)}`);
  }

  async observe(_target: RouteTarget, signal?: AbortSignal): Promise<RouteState> {
    return {
      canaryWeight: await readCanaryWeight(this.#api, this.#servers, signal),
      matches: await readRoutes(this.#api, this.#servers.backend, signal),
    };
  }

  async close(): Promise<void> {}
}
