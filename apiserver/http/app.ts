// The hono application: health, version, metrics, OpenAPI, discovery and resource routes,
// with authentication, authorization, audit, metrics and Status errors around every request.
import { randomUUID } from "node:crypto";
import { Hono, type Context } from "hono";
import { ApiError } from "../../crds/errors.ts";
import { AUDIT_EVENTS_PATH } from "../../crds/audit-event.ts";
import { AuditContext } from "../registry/audit-context.ts";
import { auditEventsResponse } from "./audit-route.ts";
import type { Caller, HttpDeps, RequestAttributes } from "./deps.ts";
import { apiGroup, coreVersions, groupList, resourceList, servesGroup, servesGroupVersion } from "./discovery.ts";
import { contentAccess } from "./content-access.ts";
import { mountDashboard } from "./dashboard.ts";
import { addEnrollmentRoutes } from "./agent-enrollment.ts";
import { handleResource, isMutating, resolve, type ResolvedRequest } from "./resource-handler.ts";
import { mediaType, parseBody, readBodyBytes } from "./request-body.ts";
import { flag } from "./request-options.ts";
import { reviewAt, selfReview } from "./self-review.ts";
import { noSuchPath } from "./resource-path.ts";
import { pathSegments, rawPathOf } from "./path-segments.ts";
import { withRequestTimeout } from "./request-timeout.ts";
import { statusResponse, toApiError } from "./status-response.ts";

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Builds the API application over its dependencies. */
export function createApp(deps: HttpDeps): Hono {
  const app = new Hono();
  const log = deps.log;
  if (deps.enrollment) addEnrollmentRoutes(app, { ...deps.enrollment, ...deps });

  const authenticated = async (c: Context): Promise<Caller> => deps.authenticate(c.req.header("authorization"));

  // Public, unauthenticated endpoints (like Kubernetes' system:public-info-viewer).
  app.get("/healthz", () => new Response("ok"));
  app.get("/livez", () => new Response("ok"));
  app.get("/readyz", async () =>
    (await deps.ready()) ? new Response("ok") : new Response("not ready", { status: 503 }),
  );
  app.get("/version", () =>
    json({
      ...deps.version,
      gitCommit: "",
      gitTreeState: "clean",
      buildDate: "",
      goVersion: "",
      compiler: "",
      platform: `${process.platform}/${process.arch}`,
    }),
  );

  if (deps.dashboard) mountDashboard(app, deps.dashboard, deps.authenticate, log, deps.requestTimeoutMs);

  app.all("*", async (c) => {
    const started = performance.now();
    const requestId = randomUUID();
    let caller: Caller = { user: "system:anonymous", groups: [], grants: [], tokenId: "" };
    let resolved: ResolvedRequest | undefined;
    let response: Response;
    try {
      // Before anything reads the path (authentication errors, audit, logs): no unusable segment.
      pathSegments(rawPathOf(c.req.url));
      caller = await authenticated(c);
      const serve = () => route(c, caller, requestId, (r) => (resolved = r));
      // Watches are long-lived by design and end on their own timeoutSeconds.
      response = isWatch(c) ? await serve() : await withRequestTimeout(deps.requestTimeoutMs, serve);
    } catch (err) {
      response = statusResponse(toApiError(err, log, requestId));
      // A write refused before routing (no or bad token) is still audited, as system:anonymous.
      if (!resolved && c.req.method !== "GET") resolved = tryResolve(c);
    }
    const verb = resolved?.verb ?? c.req.method.toLowerCase();
    const resource = resolved
      ? resolved.path.info.plural + (resolved.path.subresource ? `/${resolved.path.subresource}` : "")
      : "";
    deps.metrics.observeRequest(verb, resource || "nonresource", response.status, (performance.now() - started) / 1000);
    if (resolved && isMutating(verb) && !resolved.audit?.written) {
      const p = resolved.path;
      await deps
        .audit({
          time: new Date().toISOString(),
          user: caller.user,
          verb,
          resource: p.info.plural,
          subresource: p.subresource,
          namespace: p.namespace ?? "",
          name: p.name ?? resolved.bodyName ?? "",
          code: response.status,
          outcome: response.status < 400 ? "success" : "failure",
          requestId,
          dryRun: c.req.query("dryRun") === "All",
        })
        .catch((err) => {
          // Never silent: a request that could not be audited is an alarm (log and metric).
          deps.metrics.auditWriteFailed();
          log.error("audit write failed", {
            requestId,
            user: caller.user,
            verb,
            resource,
            code: response.status,
            error: String(err),
          });
        });
    }
    if (verb !== "watch" || response.status >= 400)
      log.info("request", {
        requestId,
        user: caller.user,
        method: c.req.method,
        path: c.req.path,
        verb,
        code: response.status,
        ms: Math.round(performance.now() - started),
      });
    response.headers.set("audit-id", requestId);
    // A body refused part-way is still on the connection: close it rather than let the client
    // reuse a socket whose unread rest the server is about to drop (it would see a hang-up).
    if (response.status === 413) response.headers.set("connection", "close");
    return response;
  });

  function tryResolve(c: Context): ResolvedRequest | undefined {
    try {
      return resolve(deps, c);
    } catch {
      return undefined;
    }
  }

  async function route(
    c: Context,
    caller: Caller,
    requestId: string,
    onResolved: (r: ResolvedRequest) => void,
  ): Promise<Response> {
    const path = c.req.path.replace(/\/+$/, "") || "/";
    const parts = path.split("/").filter(Boolean);
    if (c.req.method === "GET") {
      if (path === "/metrics") {
        await deps.authorize(caller, { verb: "get", resource: "metrics", namespace: "" });
        return new Response(await deps.metrics.text(), { headers: { "content-type": deps.metrics.contentType } });
      }
      if (path === AUDIT_EVENTS_PATH) return auditEventsResponse(deps, caller, c.req.query());
      // Any authenticated caller may fetch the key that verifies evidence (it is public, but not advertised).
      if (path === "/evidence/public-key" && deps.evidencePublicKey)
        return new Response(deps.evidencePublicKey, { headers: { "content-type": "application/x-pem-file" } });
      if (path === "/api") return json(coreVersions(new URL(c.req.url).host));
      if (path === "/apis") return json(groupList(deps.kinds));
      if (path === "/openapi/v3") return json(deps.openapi.root());
      if (parts[0] === "openapi" && parts[1] === "v3") {
        const [group, version] = parts[2] === "api" ? ["", parts[3]] : [parts[3], parts[4]];
        const doc = deps.openapi.groupVersion(group, version);
        if (doc) return json(doc);
        throw noSuchPath(path);
      }
      if (parts[0] === "api" && parts.length === 2 && servesGroupVersion(deps.kinds, "", parts[1]))
        return json(resourceList(deps.kinds, "", parts[1]));
      if (parts[0] === "apis" && parts.length === 2 && servesGroup(deps.kinds, parts[1]))
        return json(apiGroup(deps.kinds, parts[1]));
      if (parts[0] === "apis" && parts.length === 3 && servesGroupVersion(deps.kinds, parts[1], parts[2]))
        return json(resourceList(deps.kinds, parts[1], parts[2]));
    }
    const review = c.req.method === "POST" ? reviewAt(path) : undefined;
    if (review) {
      const body = parseBody(await readBodyBytes(c.req.raw, deps.bodyLimit), mediaType(c.req.raw));
      return selfReview(deps, caller, review, body);
    }
    if (parts[0] !== "api" && parts[0] !== "apis") throw noSuchPath(path);
    const r = resolve(deps, c);
    if (isMutating(r.verb) && r.verb !== "deletecollection" && c.req.query("dryRun") !== "All")
      r.audit = new AuditContext({
        user: caller.user,
        verb: r.verb,
        resource: r.path.info.plural,
        subresource: r.path.subresource,
        namespace: r.path.namespace ?? "",
        requestId,
        dryRun: false,
      });
    r.requester =
      caller.groups.length > 0 ? { username: caller.user, groups: caller.groups } : { username: caller.user };
    // An authenticated caller always has a role list (maybe empty), so admission never takes it for in-process.
    r.roles = r.path.info.namespaced ? (deps.rolesOf?.(caller, r.path.namespace ?? "default") ?? []) : [];
    onResolved(r);
    const p = r.path;
    const attrs = (name?: string): RequestAttributes => ({
      verb: r.verb as RequestAttributes["verb"],
      resource: p.info.plural,
      subresource: p.subresource,
      namespace: p.info.namespaced ? (p.namespace ?? "") : "",
      name: name ?? p.name ?? nameFromFieldSelector(c.req.query("fieldSelector")),
      fieldSelector: c.req.query("fieldSelector"),
    });
    r.access = (name) => contentAccess(deps, caller, p, name ?? attrs().name);
    // A create is authorized once its body names the object (grants may be limited to names).
    if (r.verb !== "create") await deps.authorize(caller, attrs());
    return handleResource(deps, c, r, (name) => {
      r.bodyName = name;
      return deps.authorize(caller, attrs(name));
    });
  }

  app.onError((err) => statusResponse(err instanceof ApiError ? err : toApiError(err, log, "unknown")));
  return app;
}

/** Whether a request is a watch (which the request timeout does not bound): `watch` read as the handler reads it. */
const isWatch = (c: Context) => c.req.method === "GET" && flag(c.req.query(), "watch");

/** The object name a `metadata.name=x` field selector pins a list or watch to (for name-limited grants). */
function nameFromFieldSelector(selector: string | undefined): string | undefined {
  const m = /(?:^|,)\s*metadata\.name\s*==?\s*([^,\s]+)/.exec(selector ?? "");
  return m?.[1];
}
