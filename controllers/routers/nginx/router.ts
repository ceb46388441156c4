// The nginx router: every change renders the whole configuration from the state in the file it
// owns (plus the change), reloads nginx gracefully, and resolves once nginx serves the new state.
import { readFile } from "node:fs/promises";
import type { z } from "zod";
import type { nginxRouter } from "../../../crds/canary.ts";
import {
  RouterError,
  type RouteMatch,
  type Router,
  type RouteState,
  type RouteTarget,
} from "../../../sdk/plugins/router.ts";
import { checkWeight, sameMatches } from "../route-checks.ts";
import { readLiveState } from "./live-state.ts";
import { applyConfig } from "./reload.ts";
import { type NginxRouteState, parseRenderedState, renderConfig } from "./render.ts";

/**
 * The prefix of a target's names in the generated file (its upstreams, maps and log lines):
 * `stella_<namespace>_<environment>_<component>`, non-word characters as `_`.
 */
export const upstreamPrefix = (target: Pick<RouteTarget, "namespace" | "environment" | "component">): string =>
  `stella_${[target.namespace, target.environment, target.component].join("_").replace(/\W/g, "_")}`;

/** Settings of `spec.router.nginx`. */
export type NginxSettings = z.infer<typeof nginxRouter>;

/** A Router writing one generated nginx configuration file. */
export class NginxRouter implements Router {
  readonly #settings: NginxSettings;

  constructor(settings: NginxSettings) {
    this.#settings = settings;
  }

  async setWeight(target: RouteTarget, weight: number, signal?: AbortSignal): Promise<void> {
    checkWeight(weight);
    const live = await this.#apply(target, (s) => ({ ...s, canaryWeight: weight }), signal);
    if (live.canaryWeight !== weight)
      throw new RouterError("RouterRefused", `nginx serves canary weight ${live.canaryWeight} after setting ${weight}`);
  }

  async setMatchRoute(target: RouteTarget, name: string, matches: readonly RouteMatch[], signal?: AbortSignal) {
    const live = await this.#apply(
      target,
      (s) => {
        const rest = Object.fromEntries(Object.entries(s.matches).filter(([n]) => n !== name));
        return { ...s, matches: matches.length > 0 ? { ...rest, [name]: [...matches] } : rest };
      },
      signal,
    );
    if (!sameMatches(live.matches[name] ?? [], matches))
      throw new RouterError("RouterRefused", `nginx serves route ${name} as ${JSON.stringify(live.matches[name])}`);
  }

  async observe(_target: RouteTarget, signal?: AbortSignal): Promise<RouteState> {
    const live = await readLiveState(this.#settings.listen, signal);
    return { canaryWeight: live.canaryWeight, matches: live.matches };
  }

  async close(): Promise<void> {}

  async #apply(target: RouteTarget, change: (s: NginxRouteState) => NginxRouteState, signal?: AbortSignal) {
    const current = await this.#written();
    const next = { ...change(current), generation: current.generation + 1 };
    const prefix = upstreamPrefix(target);
    const { listen, accessLog } = this.#settings;
    const text = renderConfig(prefix, next, { listen, ...(accessLog ? { accessLog } : {}), ...target });
    return applyConfig(this.#settings, text, next, signal);
  }

  /** The state of the file as last written (a fresh state when there is none yet). */
  async #written(): Promise<NginxRouteState> {
    const text = await readFile(this.#settings.configFile, "utf8").catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return "";
      throw new RouterError("RouterRefused", `nginx config ${this.#settings.configFile}: ${err.message}`);
    });
    return parseRenderedState(text) ?? { generation: 0, canaryWeight: 0, matches: {} };
  }
}
