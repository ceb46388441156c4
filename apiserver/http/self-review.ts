// The reviews a caller asks about itself, answered by the same authorizer every request goes
// through: SelfSubjectAccessReview (`kubectl auth can-i VERB RESOURCE`), SelfSubjectRulesReview
// (`kubectl auth can-i --list`) and SelfSubjectReview (`kubectl auth whoami`). Each is a create
// that stores nothing; the answer is the request with its status filled in.
import { z } from "zod";
import { badRequest, invalid } from "../../crds/errors.ts";
import { groupOf } from "../../crds/scheme.ts";
import type { Caller, HttpDeps, RequestAttributes } from "./deps.ts";

/** The API groups, versions and resources served here, for discovery. */
export const REVIEW_RESOURCES = [
  { group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews", kind: "SelfSubjectAccessReview" },
  { group: "authorization.k8s.io", version: "v1", plural: "selfsubjectrulesreviews", kind: "SelfSubjectRulesReview" },
  { group: "authentication.k8s.io", version: "v1", plural: "selfsubjectreviews", kind: "SelfSubjectReview" },
] as const;

const resourceAttributes = z.strictObject({
  namespace: z.string().optional(),
  verb: z.string().optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  resource: z.string().optional(),
  subresource: z.string().optional(),
  name: z.string().optional(),
  fieldSelector: z.unknown().optional(),
  labelSelector: z.unknown().optional(),
});
const nonResourceAttributes = z.strictObject({ path: z.string().optional(), verb: z.string().optional() });
const review = (spec: z.ZodType) =>
  z.looseObject({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: z.unknown().optional(),
    spec,
  });
const accessReview = review(
  z.strictObject({
    resourceAttributes: resourceAttributes.optional(),
    nonResourceAttributes: nonResourceAttributes.optional(),
  }),
);
const rulesReview = review(z.strictObject({ namespace: z.string().optional() }));

/** The review resource served at POST `path`, if any. */
export const reviewAt = (path: string): Served | undefined =>
  REVIEW_RESOURCES.find((r) => path === `/apis/${r.group}/${r.version}/${r.plural}`);

/** Paths anyone may GET without a token (app.ts serves them before authentication). */
const PUBLIC_PATHS = ["/healthz", "/livez", "/readyz", "/version"];

/** The answer to a review of `served` (see reviewAt) with `body`. */
export async function selfReview(deps: HttpDeps, caller: Caller, served: Served, body: unknown): Promise<Response> {
  const apiVersion = `${served.group}/${served.version}`;
  const answer = (spec: unknown, status: unknown) =>
    new Response(
      JSON.stringify({ apiVersion, kind: served.kind, metadata: { creationTimestamp: null }, spec, status }),
      {
        status: 201,
        headers: { "content-type": "application/json" },
      },
    );
  if (served.kind === "SelfSubjectReview") {
    return answer(undefined, {
      userInfo: { username: caller.user, groups: [...caller.groups, "system:authenticated"] },
    });
  }
  if (served.kind === "SelfSubjectRulesReview") {
    const { spec } = parse(rulesReview, body, served);
    const namespace = (spec as { namespace?: string }).namespace ?? "";
    const resourceRules = deps.review.rules(caller, namespace);
    const nonResourceRules = [{ verbs: ["get"], nonResourceURLs: PUBLIC_PATHS }];
    return answer(spec, { resourceRules, nonResourceRules, incomplete: false });
  }
  const { spec } = parse(accessReview, body, served);
  const { resourceAttributes: ra, nonResourceAttributes: nra } = spec as z.infer<typeof accessReview>["spec"] & {
    resourceAttributes?: z.infer<typeof resourceAttributes>;
    nonResourceAttributes?: z.infer<typeof nonResourceAttributes>;
  };
  if ((ra === undefined) === (nra === undefined)) {
    const message = "exactly one of resourceAttributes and nonResourceAttributes is required";
    throw invalid(target(served), [{ reason: "FieldValueRequired", field: "spec.resourceAttributes", message }]);
  }
  return answer(spec, ra ? decideResource(deps, caller, ra) : decideNonResource(deps, caller, nra!));
}

type Served = (typeof REVIEW_RESOURCES)[number];
const target = (r: Served) => ({ group: r.group, kind: r.kind, plural: r.plural });

function parse<T extends z.ZodType>(schema: T, body: unknown, served: Served): z.infer<T> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest(`the body of a ${served.kind} must be an object`);
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const causes = result.error.issues.map((i) => ({
    reason: "FieldValueInvalid",
    field: i.path.join("."),
    message: i.message,
  }));
  throw invalid(target(served), causes);
}

type Status = { allowed: boolean; denied?: boolean; reason?: string };

function decideResource(deps: HttpDeps, caller: Caller, ra: z.infer<typeof resourceAttributes>): Status {
  const info = deps.kinds.find(
    (k) => k.plural === ra.resource && (ra.group === undefined || ra.group === "*" || groupOf(k) === ra.group),
  );
  if (!info)
    return {
      allowed: false,
      reason: `the server serves no resource ${ra.resource ?? "(none)"} in group "${ra.group ?? ""}"`,
    };
  const attrs = {
    verb: (ra.verb ?? "") as RequestAttributes["verb"],
    resource: info.plural,
    subresource: ra.subresource || undefined,
    namespace: info.namespaced ? (ra.namespace ?? "") : "",
    name: ra.name || undefined,
  };
  const decision = deps.review.decide(caller, attrs);
  if (!decision.allowed) return { allowed: false, reason: decision.reason };
  return { allowed: true, ...(decision.role ? { reason: `allowed by role ${decision.role}` } : {}) };
}

function decideNonResource(deps: HttpDeps, caller: Caller, nra: z.infer<typeof nonResourceAttributes>): Status {
  const verb = nra.verb ?? "";
  if (verb === "get" && PUBLIC_PATHS.includes(nra.path ?? "")) return { allowed: true, reason: "public" };
  if (verb === "get" && nra.path === "/metrics") {
    const decision = deps.review.decide(caller, { verb: "get", resource: "metrics", namespace: "" });
    return decision.allowed ? { allowed: true } : { allowed: false, reason: decision.reason };
  }
  return { allowed: false, reason: `no rule allows ${verb} ${nra.path ?? ""}` };
}
