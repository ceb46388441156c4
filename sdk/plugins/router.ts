// The router plugin contract. A canary shifts traffic for one component between its stable and
// canary units through a router (HAProxy's runtime API, an nginx configuration, a cloud load
// balancer). The canary controller decides; the router only does what it is told and reports what
// its data plane really does: a weight is never reported as set until the router has read it back.

/** Which traffic a router manages: one component of one environment, and the two sets of backends. */
export interface RouteTarget {
  namespace: string;
  environment: string;
  component: string;
  /** The addresses (host:port) serving the stable release. */
  stable: readonly string[];
  /** The addresses (host:port) serving the canary release. */
  canary: readonly string[];
}

/** Requests matching every condition go to the canary, whatever the weight. */
export interface RouteMatch {
  /** A header name (case-insensitive) or, with `cookie`, a cookie name. */
  name: string;
  /** The value that must match exactly. */
  value: string;
  /** Match a cookie rather than a header. */
  cookie?: boolean;
}

/** What the router really does now, as read back from its data plane. */
export interface RouteState {
  /** Share of unmatched requests sent to the canary, 0-100. */
  canaryWeight: number;
  /** The match routes in place, by name. */
  matches: Readonly<Record<string, readonly RouteMatch[]>>;
}

/** A router bound to one canary's settings (`spec.router`). */
export interface Router {
  /** Sends `weight` percent (0-100) of unmatched requests to the canary; resolves once it is in effect. */
  setWeight(target: RouteTarget, weight: number, signal?: AbortSignal): Promise<void>;
  /** Puts match route `name` in place (or, with no matches, removes it). */
  setMatchRoute(target: RouteTarget, name: string, matches: readonly RouteMatch[], signal?: AbortSignal): Promise<void>;
  /** Reads what the data plane does now. */
  observe(target: RouteTarget, signal?: AbortSignal): Promise<RouteState>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** A router plugin: its name (`spec.router.plugin`) and how to bind it to settings. */
export interface RouterPlugin {
  readonly name: string;
  /** Binds to the canary's `spec.router.<name>` block (or `config` for plugins); throws RouterError on bad settings. */
  connect(settings: unknown): Router;
}

/** The router could not do or read back what it was asked; the canary pauses with this reason. */
export class RouterError extends Error {
  override readonly name = "RouterError";
  constructor(
    /** CamelCase, as condition reasons are: RouterUnreachable, RouterRefused, InvalidRouterSettings. */
    readonly reason: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
