// The fuzz suite: malformed and hostile bodies, names, query strings and tokens at every verb of
// every kind, through the in-process app. Bounded by count (FUZZ_REQUESTS, default 1200) and
// time (FUZZ_SECONDS, default 90); the seed is printed, and FUZZ_SEED=<seed> replays a run
// (FUZZ_TRACE=1 prints each request before it is sent).
// Asserts: no 500 (no 5xx but 503/504), every non-2xx body is a Kubernetes Status leaking no
// internals, nothing stored but what a 2xx answer created, the server alive and its RSS bounded.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { kinds, apiVersionOf } from "../../../crds/scheme.ts";
import type { KindInfo } from "../../../crds/scheme-types.ts";
import { startEnv, type TestEnv } from "../../env.ts";
import { collection, environment } from "../../fixtures.ts";
import { hostileAuthorization, hostileBody, hostileName, hostileQuery } from "./hostile-values.ts";
import { fuzzSeed, Rng } from "./rng.ts";

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1200);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 90);
/** RSS growth allowed over the whole run (bodies are at most a few MiB each and are not kept). */
const RSS_GROWTH_LIMIT = 400 * 1024 * 1024;
const LEAKS = /SQLSTATE|invalid byte sequence|node_modules|\.ts:\d+|at async |stack depth|Maximum call stack/i;

const base = (info: KindInfo, ns = "default") => {
  const gv = apiVersionOf(info);
  const root = gv.includes("/") ? `/apis/${gv}` : `/api/${gv}`;
  return info.namespaced ? `${root}/namespaces/${ns}/${info.plural}` : `${root}/${info.plural}`;
};

type Verb =
  | "list"
  | "watch"
  | "get"
  | "create"
  | "update"
  | "patch"
  | "delete"
  | "deletecollection"
  | "getStatus"
  | "putStatus"
  | "patchStatus";
const VERBS: Verb[] = [
  "list",
  "watch",
  "get",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
  "getStatus",
  "putStatus",
  "patchStatus",
];
const METHOD: Record<Verb, string> = {
  list: "GET",
  watch: "GET",
  get: "GET",
  create: "POST",
  update: "PUT",
  patch: "PATCH",
  delete: "DELETE",
  deletecollection: "DELETE",
  getStatus: "GET",
  putStatus: "PUT",
  patchStatus: "PATCH",
};

async function names(env: TestEnv, info: KindInfo): Promise<Set<string>> {
  const res = await env.request("GET", base(info).replace("/namespaces/default", ""));
  assert.equal(res.status, 200, res.text);
  return new Set(
    res.body.items.map(
      (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`,
    ),
  );
}

describe("fuzz: hostile requests at every verb of every kind", () => {
  let env: TestEnv;
  const seed = fuzzSeed();
  before(async () => {
    env = await startEnv();
  });
  after(() => env.stop());

  test(`seed ${seed} (replay with FUZZ_SEED=${seed})`, async (t) => {
    t.diagnostic(`fuzz seed ${seed}: replay with FUZZ_SEED=${seed}`);
    const rng = new Rng(seed);
    const fuzzed = kinds;
    // A few real objects, so updates, patches and deletes reach merge, apply and managed fields.
    for (let i = 0; i < 4; i++)
      assert.equal((await env.request("POST", collection("environments"), environment(`fz-${i}`))).status, 201);
    const before = new Map<string, Set<string>>();
    for (const info of kinds) before.set(info.plural, await names(env, info));
    const created = new Set<string>();
    const findings: string[] = [];
    const rss0 = process.memoryUsage().rss;
    const deadline = Date.now() + SECONDS * 1000;
    let sent = 0;
    for (; sent < REQUESTS && Date.now() < deadline; sent++) {
      const info = rng.pick(fuzzed);
      // Namespaces get every verb but deletecollection, which would end the namespace the run works in.
      const verb = rng.pick(info.kind === "Namespace" ? VERBS.filter((v) => v !== "deletecollection") : VERBS);
      const name = rng.chance(0.7) ? `fz-${rng.int(20)}` : hostileName(rng);
      let path = base(info);
      if (!["list", "watch", "create", "deletecollection"].includes(verb)) path += `/${name}`;
      if (verb.endsWith("Status")) path += "/status";
      const query = [verb === "watch" ? `watch=true&timeoutSeconds=1` : "", rng.chance(0.5) ? hostileQuery(rng) : ""]
        .filter(Boolean)
        .join("&");
      if (query) path += `?${query}`;
      const headers: Record<string, string> = {};
      const auth = hostileAuthorization(rng, env.adminToken);
      if (auth !== undefined) headers.authorization = auth;
      let body: string | undefined;
      if (
        ["create", "update", "patch", "putStatus", "patchStatus"].includes(verb) ||
        (verb === "delete" && rng.chance(0.2))
      ) {
        const b = hostileBody(info, rng);
        body = b.text;
        headers["content-type"] = b.type;
      }
      const what = `#${sent} ${METHOD[verb]} ${path.slice(0, 200)} ${headers["content-type"] ?? ""} ${body?.slice(0, 120) ?? ""}`;
      // FUZZ_TRACE=1 names each request before it is sent: the one a crash interrupted is the last.
      if (process.env.FUZZ_TRACE) process.stderr.write(`${what}\n`);
      let res: Response;
      try {
        res = await env.server.app.request(path, { method: METHOD[verb], headers, body });
      } catch (err) {
        findings.push(`${what}: threw ${(err as Error).message}`);
        continue;
      }
      if (verb === "watch" && res.status === 200) {
        await res.body?.cancel();
        continue;
      }
      const text = await res.text();
      if (res.status >= 500 && res.status !== 503 && res.status !== 504)
        findings.push(`${what}: ${res.status} ${text.slice(0, 300)}`);
      if (LEAKS.test(text)) findings.push(`${what}: leaks internals: ${text.slice(0, 300)}`);
      if (res.status >= 300) {
        let status: { kind?: string; code?: number } | undefined;
        try {
          status = JSON.parse(text);
        } catch {
          status = undefined;
        }
        if (status?.kind !== "Status" || status.code !== res.status)
          findings.push(`${what}: ${res.status} without a Status body: ${text.slice(0, 200)}`);
      } else if (["create", "update", "patch"].includes(verb)) {
        const o = JSON.parse(text) as { metadata?: { namespace?: string; name?: string } };
        if (o.metadata?.name) created.add(`${info.plural} ${o.metadata.namespace ?? ""}/${o.metadata.name}`);
      }
    }
    t.diagnostic(`sent ${sent} requests; findings: ${findings.length}`);
    for (const info of kinds) {
      for (const key of await names(env, info)) {
        if (!before.get(info.plural)!.has(key) && !created.has(`${info.plural} ${key}`))
          findings.push(`stored without a 2xx answer: ${info.plural} ${key}`);
      }
    }
    assert.equal((await env.request("GET", "/healthz", undefined, {})).status, 200);
    assert.equal((await env.request("GET", "/readyz", undefined, {})).status, 200);
    const growth = process.memoryUsage().rss - rss0;
    assert.ok(growth < RSS_GROWTH_LIMIT, `RSS grew by ${Math.round(growth / 2 ** 20)} MiB`);
    assert.deepEqual(findings.slice(0, 30), [], `seed ${seed}: ${findings.length} findings`);
  });
});
