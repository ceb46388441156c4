// What the HTTP layer needs from the rest of the apiserver, as small interfaces, so that the
// routes can be tested with `app.request()` and wired differently by `stella server` and tests.
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Decision, RequestAttributes } from "../auth/authorize.ts";
import type { ResourceRule } from "../auth/rules-review.ts";
import type { Principal } from "../auth/principal.ts";
import type { TokenIssuer } from "../auth/tokens.ts";
import type { Logger } from "../logging/logger.ts";
import type { Store } from "../registry/store.ts";
import type { AuditRecord } from "../storage/types.ts";
import type { DashboardDeps } from "./dashboard.ts";
import type { ApiMetrics } from "./metrics.ts";
import type { WatchSet } from "./watch-set.ts";

/** Who is calling: the principal a verified token names. */
export type Caller = Principal;

/** What is being asked, for authorization. */
export type { RequestAttributes };

/** Establishes the caller from the Authorization header; throws a 401 ApiError. */
export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

/** Allows or refuses a request; throws a 403 ApiError naming user, role, verb and resource. */
export type Authorize = (caller: Caller, attrs: RequestAttributes) => Promise<void>;

/** The authorizer's answers without throwing, for the self-subject reviews (`kubectl auth can-i`). */
export interface Reviewer {
  decide(caller: Caller, attrs: RequestAttributes): Decision;
  /** The caller's rules in `namespace` ("" for cluster scope). */
  rules(caller: Caller, namespace: string): ResourceRule[];
}
/** The roles `caller` holds in `namespace`, for the registry's admission rules (e.g. who may change a policy). */
export type RolesOf = (caller: Caller, namespace: string) => string[];

/** Everything the routes use. */
export interface HttpDeps {
  store: Store;
  kinds: readonly KindInfo[];
  authenticate: Authenticate;
  authorize: Authorize;
  review: Reviewer;
  /** Absent: admission sees no roles and refuses what needs one (see registry/strategy.ts). */
  rolesOf?: RolesOf;
  audit: (record: AuditRecord) => Promise<void>;
  metrics: ApiMetrics;
  log: Logger;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** How long a request other than a watch may take before it is answered 504, in ms. */
  requestTimeoutMs: number;
  watches: WatchSet;
  /** Version information for /version. */
  version: { gitVersion: string; major: string; minor: string };
  /** OpenAPI v3 documents: the root index and one per group/version. */
  openapi: { root(): unknown; groupVersion(group: string, version: string): unknown | undefined };
  /** Whether the server is ready to serve (storage reachable, not shutting down). */
  ready: () => Promise<boolean>;
  /** Agent enrollment (agent-enrollment.ts): the token issuer and the CA agents pin; not served when absent. */
  enrollment?: { issuer: TokenIssuer; caCertPem: string };
  /** The PEM public key that verifies evidence seals, served at /evidence/public-key. */
  evidencePublicKey?: string;
  /** The web dashboard served at /ui; absent: no dashboard. */
  dashboard?: DashboardDeps;
}
