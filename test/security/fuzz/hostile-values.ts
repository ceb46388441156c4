// What the fuzzer throws: names, query strings, tokens and bodies, each either plausible or
// hostile, drawn from a seeded Rng. Bodies start from a plausible object of the kind and are
// mutated, so they get past the first checks and reach deeper code.
import type { KindInfo } from "../../../crds/scheme-types.ts";
import { apiVersionOf } from "../../../crds/scheme.ts";
import type { Rng } from "./rng.ts";

const SCALARS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -0,
  "",
  "x",
  "\u0000",
  "\ud800",
  "\udfff",
  "a\nb",
  "%00",
  "../..",
  "<script>",
  "💥",
  "x".repeat(70),
  " ",
  {},
  [],
];
const KEYS = [
  "metadata",
  "spec",
  "status",
  "name",
  "labels",
  "annotations",
  "managedFields",
  "finalizers",
  "ownerReferences",
  "resourceVersion",
  "__proto__",
  "constructor",
  "",
  "\u0000",
  "a.b",
  "a/b",
  "generateName",
  "uid",
  "kind",
  "apiVersion",
];

/** A name for a URL: usually valid, often hostile, percent-encoded as a client would send it (or not). */
export function hostileName(rng: Rng): string {
  return rng.pick([
    () => `fz-${rng.int(20)}`,
    () => "a%00b",
    () => "%zz",
    () => "%ED%A0%80",
    () => "%C0%AF",
    () => encodeURIComponent("a\u0001b"),
    () => "x".repeat(300),
    () => "UPPER",
    () => "a%2Fb",
    () => "%252e%252e",
    () => "..%2F..",
    () => "-leading",
    () => encodeURIComponent("名前"),
    () => "a;b=c",
  ])();
}

/** A query string for any verb. */
export function hostileQuery(rng: Rng): string {
  const params = [
    () => `resourceVersion=${rng.pick(["0", "1", "-1", "abc", "99999999999999999999", "1e3", "%00", "999999"])}`,
    () => `resourceVersionMatch=${rng.pick(["NotOlderThan", "Exact", "Bogus", ""])}`,
    () => `limit=${rng.pick(["0", "1", "-5", "1e9", "abc", "99999999999999999999"])}`,
    () => `continue=${rng.pick(["", "garbage", "eyJ9", "%00", "eyJydiI6MSwiYWZ0ZXIiOlsiIiwiIl19"])}`,
    () =>
      `labelSelector=${rng.pick(["a=b", "a in (", "!!", "a notin (b,c)", encodeURIComponent("a=\u0000"), "x".repeat(2000), "a,b,c=d,,"])}`,
    () =>
      `fieldSelector=${rng.pick(["metadata.name=x", "spec.nope=1", "metadata.name!=", "=", "metadata.namespace==a,b"])}`,
    () => `dryRun=${rng.pick(["All", "all", "", "None"])}`,
    () => `fieldManager=${rng.pick(["m", "", "x".repeat(200), "%00"])}`,
    () => `force=${rng.pick(["true", "yes", ""])}`,
    () => `propagationPolicy=${rng.pick(["Foreground", "Orphan", "Sideways"])}`,
    () => `timeoutSeconds=${rng.pick(["1", "-1", "abc"])}`,
    () => `includeObject=${rng.pick(["Object", "None", "%00"])}`,
  ];
  const n = rng.int(4);
  return Array.from({ length: n }, () => rng.pick(params)()).join("&");
}

/** An Authorization header: the admin's token, or something that is not a valid one. */
export function hostileAuthorization(rng: Rng, valid: string): string | undefined {
  if (rng.chance(0.7)) return `Bearer ${valid}`;
  const [h, p] = valid.split(".");
  return rng.pick([
    undefined,
    "",
    "Bearer",
    "Bearer ",
    "Basic YWRtaW46YWRtaW4=",
    `Bearer ${valid}x`,
    `Bearer ${valid.slice(0, -5)}`,
    `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${p}.`,
    `Bearer ${h}.${Buffer.from('{"sub":"admin","grants":[{"namespace":"*","role":"admin"}]}').toString("base64url")}.AAAA`,
    `Bearer ${"a".repeat(10_000)}`,
    "Bearer \u00ff\u00fe",
  ]);
}

/** A plausible object of the kind, to be mutated. */
export function baseObject(info: KindInfo, rng: Rng): Record<string, unknown> {
  return {
    apiVersion: apiVersionOf(info),
    kind: info.kind,
    metadata: { name: `fz-${rng.int(20)}`, labels: { a: "b" } },
    spec: {},
  };
}

/** A random JSON value nested up to `depth`. */
function value(rng: Rng, depth: number): unknown {
  // A fresh copy: a shared {} or [] could end up inside itself after a mutation.
  if (depth <= 0 || rng.chance(0.5)) return structuredClone(rng.pick(SCALARS));
  if (rng.chance(0.5)) return Array.from({ length: rng.int(4) }, () => value(rng, depth - 1));
  return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [rng.pick(KEYS), value(rng, depth - 1)]));
}

/** Mutates an object in place at a random place (or replaces a subtree). */
function mutate(obj: Record<string, unknown>, rng: Rng): void {
  let node: Record<string, unknown> = obj;
  for (let i = 0; i < 3; i++) {
    const keys = Object.keys(node);
    const next = keys.length ? node[rng.pick(keys)] : undefined;
    if (next && typeof next === "object" && !Array.isArray(next) && rng.chance(0.6))
      node = next as Record<string, unknown>;
    else break;
  }
  node[rng.chance(0.5) && Object.keys(node).length ? rng.pick(Object.keys(node)) : rng.pick(KEYS)] = value(rng, 3);
}

/** A request body (text) and its content type. */
export function hostileBody(info: KindInfo, rng: Rng): { text: string; type: string } {
  const obj = baseObject(info, rng);
  for (let i = rng.int(4); i > 0; i--) mutate(obj, rng);
  const json = JSON.stringify(obj);
  return rng.pick([
    () => ({ text: json, type: "application/json" }),
    () => ({ text: json, type: "application/merge-patch+json" }),
    () => ({
      text: JSON.stringify([
        {
          op: rng.pick(["add", "remove", "replace", "move", "copy", "test", "bogus"]),
          path: rng.pick(["/spec", "/metadata/name", "/a/b/c", "", "/metadata/labels/~2", "/-"]),
          value: value(rng, 2),
          from: "/spec",
        },
      ]),
      type: "application/json-patch+json",
    }),
    () => ({ text: json, type: "application/apply-patch+yaml" }),
    () => ({
      text: `a: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c]\n`,
      type: rng.pick(["application/yaml", "application/apply-patch+yaml"]),
    }),
    () => ({ text: "[".repeat(20_000 + rng.int(50_000)), type: rng.pick(["application/json", "application/yaml"]) }),
    () => ({ text: json.slice(0, rng.int(json.length)), type: "application/json" }),
    () => ({
      text: Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256))).toString("latin1"),
      type: rng.pick([
        "application/json",
        "application/yaml",
        "application/vnd.kubernetes.protobuf",
        "text/plain",
        "application/x-www-form-urlencoded",
      ]),
    }),
    () => ({ text: json.replace('"spec"', '"spec":{},"spec"'), type: "application/json" }),
    () => ({ text: "metadata:\n  name: a\n  name: b\n", type: "application/yaml" }),
  ])();
}
