// The web dashboard's routes: its static files under /ui (any other /ui path answers the page, so
// every screen has its own deep link), and the sign-in exchange. The page reads the API as its user
// with a bearer token like any client; these routes only hand out the files and that token. Only a
// person's token may ask for a sign-in code (an agent's credential is bound to its key and Agent,
// which a session token is not), and the unauthenticated exchange reads a small, bounded body.
import type { Hono } from "hono";
import { badRequest, forbidden, unauthorized } from "../../crds/errors.ts";
import type { Principal } from "../auth/principal.ts";
import type { SignInCodes } from "../auth/sign-in-codes.ts";
import type { Authenticate } from "./deps.ts";
import { mediaType, parseBody, readBodyBytes } from "./request-body.ts";
import { withRequestTimeout } from "./request-timeout.ts";
import { statusResponse, toApiError } from "./status-response.ts";
import type { Logger } from "../logging/logger.ts";

/** One built file of the dashboard, by its path under /ui/ (e.g. "app.js"). */
export interface DashboardFile {
  body: string;
  contentType: string;
}

/** What the dashboard routes need. */
export interface DashboardDeps {
  files: ReadonlyMap<string, DashboardFile>;
  codes: SignInCodes;
  /** A session token for `principal`, valid `ttlSeconds`. */
  issueSession(principal: Principal, ttlSeconds: number): Promise<string>;
}

/** Longest dashboard session, seconds; never longer than the token the sign-in code was made with. */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

/** The largest sign-in exchange body read: `{"code": "<43 characters>"}` with room to spare. */
const SESSION_BODY_LIMIT = 4096;

/** No inline script or style, nothing from elsewhere, never framed, no referrer carrying a path. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  "content-security-policy": DASHBOARD_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...SECURITY_HEADERS },
  });

/** Adds the dashboard routes to `app` (before its catch-all API route). */
export function mountDashboard(
  app: Hono,
  deps: DashboardDeps,
  authenticate: Authenticate,
  log: Logger,
  requestTimeoutMs: number,
): void {
  const file = (path: string) => {
    const name = path.replace(/^\/ui\/?/, "");
    const found = deps.files.get(name) ?? deps.files.get("index.html")!;
    const isPage = !deps.files.has(name) || name === "index.html";
    return new Response(found.body, {
      headers: {
        "content-type": found.contentType,
        "cache-control": isPage ? "no-store" : "no-cache",
        ...SECURITY_HEADERS,
      },
    });
  };
  app.get("/ui", (c) => c.redirect("/ui/", 302));
  app.get("/ui/*", (c) => file(c.req.path));

  // Authenticated as the kubeconfig's user (stella dashboard): a one-time code for the same principal.
  app.post("/ui/sign-in-codes", async (c) => {
    try {
      const principal = await authenticate(c.req.header("authorization"));
      if (principal.agent) throw forbidden(`an agent's credential cannot sign in to the dashboard (${principal.user})`);
      const { code, expiresAt } = await withRequestTimeout(requestTimeoutMs, () => deps.codes.create(principal));
      log.info("dashboard sign-in code issued", { user: principal.user });
      return json({ code, expiresAt: expiresAt.toISOString() }, 201);
    } catch (err) {
      return statusResponse(toApiError(err, log, "dashboard"));
    }
  });

  // The page's exchange: the code (from the link's fragment, never a URL the server sees) for a session token.
  app.post("/ui/sessions", async (c) => {
    try {
      const response = await withRequestTimeout(requestTimeoutMs, () => startSession(c.req.raw));
      log.info("dashboard session started", { user: response.user });
      return json(response, 201);
    } catch (err) {
      const response = statusResponse(toApiError(err, log, "dashboard"));
      // A body refused part-way is still on the connection: close it (as the API routes do).
      if (response.status === 413 || response.status === 504) response.headers.set("connection", "close");
      return response;
    }
  });

  /** The exchange itself: a code read from a small body, redeemed once, for a session token. */
  const startSession = async (req: Request) => {
    const bytes = await readBodyBytes(req, SESSION_BODY_LIMIT);
    let body: { code?: unknown } | undefined;
    try {
      body = parseBody(bytes, mediaType(req)) as { code?: unknown } | undefined;
    } catch {
      body = undefined;
    }
    if (typeof body?.code !== "string") throw badRequest('the body must be {"code": "…"}');
    const principal = await deps.codes.redeem(body.code);
    if (!principal) throw unauthorized("Unauthorized: the sign-in link was used already or has expired");
    const left = principal.expiresAt ? Math.floor((principal.expiresAt.getTime() - Date.now()) / 1000) : Infinity;
    const ttl = Math.min(SESSION_TTL_SECONDS, left);
    if (ttl <= 0) throw unauthorized("Unauthorized: the token the sign-in link was made with has expired");
    const token = await deps.issueSession(principal, ttl);
    return { token, user: principal.user, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  };
}
