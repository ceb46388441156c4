// The HAProxy router: a thin front handing each verb of the Router contract to its topic file
// (weights, addresses, maps) and reading back every change before it resolves.
import type { z } from "zod";
import type { haproxyRouter } from "../../../crds/canary.ts";
import {
  RouterError,
  type RouteMatch,
  type Router,
  type RouteState,
  type RouteTarget,
} from "../../../sdk/plugins/router.ts";
import { parseAddress, writeAddress } from "./addresses.ts";
import { readRoutes, writeRoute } from "./maps.ts";
import { parseRuntimeAddress, type RuntimeAddress } from "./runtime-api.ts";
import { type BackendServers, readCanaryWeight, writeCanaryWeight } from "./weights.ts";
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
    await this.#pointServers(target, signal);
    await writeCanaryWeight(this.#api, this.#servers, weight, signal);
    const seen = await readCanaryWeight(this.#api, this.#servers, signal);
    if (seen !== weight)
      throw new RouterError("RouterRefused", `HAProxy reports canary weight ${seen} after setting ${weight}`);
  }

  async setMatchRoute(target: RouteTarget, name: string, matches: readonly RouteMatch[], signal?: AbortSignal) {
    await this.#pointServers(target, signal);
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

  /** Points the backend's servers at the target's units (one address per side). */
  async #pointServers(target: RouteTarget, signal?: AbortSignal): Promise<void> {
    for (const [server, addresses] of [
      [this.#servers.stable, target.stable],
      [this.#servers.canary, target.canary],
    ] as const) {
      if (addresses.length === 0) continue;
      if (addresses.length > 1)
        throw new RouterError("RouterRefused", `HAProxy server ${server} takes one address, got ${addresses.length}`);
      await writeAddress(this.#api, this.#servers.backend, server, parseAddress(addresses[0]), signal);
    }
  }
}
