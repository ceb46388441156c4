// The fuzz suite's second front: the routes added after it was written. Agent enrollment
// (bootstrap, enroll, renew under /agent-enrollment/v1), the dashboard sign-in (/ui/sign-in-codes,
// /ui/sessions) and agent-scoped credentials at AgentWork, Targets, Secrets, Agents and Leases,
// each with hostile names, tokens, bodies, keys and field selectors. Seeded and bounded like
// fuzz.test.ts (FUZZ_REQUESTS, default 600; FUZZ_SECONDS, default 60; FUZZ_SEED replays a run).
// Asserts: no 500, every non-2xx a Status leaking no internals and echoing no token or key,
// nothing stored without a 2xx (no new objects, no enrolled key a 2xx did not answer for), no
// agent sees a Secret its work does not reference, and the server alive.
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { RENEWAL_AUDIENCE } from "../../../apiserver/auth/agent-tokens.ts";
import { apiVersionOf, kinds } from "../../../crds/scheme.ts";
import type { KindInfo } from "../../../crds/scheme-types.ts";
import { startEnv, type TestEnv } from "../../env.ts";
import { hostileAuthorization, hostileBody, hostileName, hostileQuery } from "./hostile-values.ts";
import { fuzzSeed, Rng } from "./rng.ts";

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 600);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 60);
const LEAKS = /SQLSTATE|invalid byte sequence|node_modules|\.ts:\d+|at async |stack depth|Maximum call stack/i;
const NS = "default";
const E = "/agent-enrollment/v1";
const AGENTS = ["fa-0", "fa-1", "fa-2"];
/** Each agent's work references its own Secret; `fs-none` no work references. */
const SECRET_OF = (agent: string) => `fs-${agent}`;
const VALUE_OF = (secret: string) => `fuzz-value-${secret}-7d1f`;

const info = (plural: string) => kinds.find((k) => k.plural === plural)!;
const base = (k: KindInfo) => {
  const gv = apiVersionOf(k);
  return `${gv.includes("/") ? `/apis/${gv}` : `/api/${gv}`}/namespaces/${NS}/${k.plural}`;
};
const spki = (key: KeyObject) => key.export({ type: "spki", format: "pem" }).toString();

describe("fuzz: enrollment, dashboard sign-in and agent credentials", () => {
  let env: TestEnv;
  const seed = fuzzSeed();
  before(async () => {
    env = await startEnv({ dashboard: true });
  });
  after(() => env.stop());

  test(`seed ${seed} (replay with FUZZ_SEED=${seed})`, async (t) => {
    t.diagnostic(`fuzz seed ${seed}: replay with FUZZ_SEED=${seed}`);
    const rng = new Rng(seed);
    const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
    const credentials = new Map<string, string>();
    const bootstraps: string[] = [];
    /** Per agent, every key a 2xx enroll answered for (the stored key must be one of them). */
    const enrolledKeys = new Map<string, Set<string>>();
    for (const agent of AGENTS) {
      const create = (plural: string, body: Record<string, unknown>) =>
        env.request("POST", base(info(plural)), { apiVersion: apiVersionOf(info(plural)), ...body });
      assert.equal((await create("agents", { kind: "Agent", metadata: { name: agent }, spec: {} })).status, 201);
      const pair = generateKeyPairSync("ed25519");
      keys.set(agent, pair);
      const boot = await env.request("POST", `${E}/namespaces/${NS}/agents/${agent}/bootstrap`, {});
      const enrolled = await env.request(
        "POST",
        `${E}/namespaces/${NS}/agents/${agent}/enroll`,
        { publicKey: spki(pair.publicKey) },
        { authorization: `Bearer ${boot.body.token}` },
      );
      assert.equal(enrolled.status, 200, enrolled.text);
      credentials.set(agent, enrolled.body.token);
      bootstraps.push(boot.body.token);
      enrolledKeys.set(agent, new Set([spki(pair.publicKey)]));
      const secret = { kind: "Secret", metadata: { name: SECRET_OF(agent) }, stringData: { token: VALUE_OF(agent) } };
      assert.equal((await create("secrets", secret)).status, 201);
      const target = {
        kind: "Target",
        metadata: { name: `host-${agent}` },
        spec: { driver: "agent", agent: { name: agent } },
      };
      assert.equal((await create("targets", target)).status, 201);
      const unit = {
        release: "r1",
        deployment: "d1",
        component: "web",
        imageRef: `127.0.0.1:5000/shop/web@sha256:${"a".repeat(64)}`,
        env: [{ name: "TOKEN", secretKeyRef: { name: SECRET_OF(agent), key: "token" } }],
        ports: [],
      };
      const scope = { namespace: "app", environment: "prod", slot: "blue" };
      const work = {
        kind: "AgentWork",
        metadata: { name: `work-${agent}` },
        spec: { agent, target: `host-${agent}`, operation: "Run", scope, units: [unit] },
      };
      assert.equal((await create("agentworks", work)).status, 201);
    }
    const unreferenced = { kind: "Secret", metadata: { name: "fs-none" }, stringData: { token: VALUE_OF("none") } };
    const none = await env.request("POST", base(info("secrets")), {
      apiVersion: apiVersionOf(info("secrets")),
      ...unreferenced,
    });
    assert.equal(none.status, 201, none.text);
    bootstraps.push((await env.request("POST", `${E}/namespaces/${NS}/agents/fa-2/bootstrap`, {})).body.token);
    const bob = await env.token("bob", "viewer", NS);

    const names = async () => {
      const all = new Set<string>();
      for (const k of kinds) {
        const res = await env.request("GET", base(k).replace(`/namespaces/${NS}`, ""));
        if (res.status !== 200) continue;
        for (const o of res.body.items as { metadata: { namespace?: string; name: string } }[])
          all.add(`${k.plural} ${o.metadata.namespace ?? ""}/${o.metadata.name}`);
      }
      return all;
    };
    const before = await names();
    const created = new Set<string>();
    const findings: string[] = [];
    /** Bootstrap tokens a 2xx enrollment used: a second 2xx with one is a replay. */
    const usedBootstraps = new Set<string>();
    const agentCredentials = () => new Set(credentials.values());

    const assertion = async (agent: string, signer: KeyObject, tweak: number) => {
      const who = `agent:${NS}/${agent}`;
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({})
        .setProtectedHeader({ alg: "EdDSA" })
        .setIssuer(tweak === 1 ? "agent:x/y" : who)
        .setSubject(who)
        .setAudience(tweak === 2 ? "stella" : RENEWAL_AUDIENCE)
        .setIssuedAt(tweak === 3 ? now - 3600 : now)
        .setExpirationTime(tweak === 3 ? now - 3000 : tweak === 4 ? now + 86_400 : now + 120);
      return jwt.sign(signer);
    };
    const someKey = () => {
      const pair = generateKeyPairSync("ed25519");
      return rng.pick<() => unknown>([
        () => spki(pair.publicKey),
        () => spki(keys.get(rng.pick(AGENTS))!.publicKey),
        () => pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        () => env.server.pki.caCertPem,
        () => spki(pair.publicKey).replace("PUBLIC", "RSA PUBLIC"),
        () => spki(pair.publicKey).slice(0, 60),
        () => `-----BEGIN PUBLIC KEY-----\n${"QUFB".repeat(rng.int(20_000))}\n-----END PUBLIC KEY-----\n`,
        () => spki(pair.publicKey) + spki(pair.publicKey),
        () => rng.pick([null, 1, [], {}, "", "\u0000", "\ud800"]),
      ])();
    };

    const rss0 = process.memoryUsage().rss;
    const deadline = Date.now() + SECONDS * 1000;
    let sent = 0;
    for (; sent < REQUESTS && Date.now() < deadline; sent++) {
      const agent = rng.pick(AGENTS);
      const name = rng.chance(0.8) ? agent : hostileName(rng);
      const headers: Record<string, string> = {};
      let method = "POST";
      let path: string;
      let body: string | undefined;
      let route: string;
      const kind = rng.int(6);
      if (kind <= 2) {
        route = ["bootstrap", "enroll", "token"][kind];
        path = `${E}/namespaces/${rng.chance(0.9) ? NS : hostileName(rng)}/agents/${name}/${route}`;
        const tokens: (() => Promise<string | undefined> | string | undefined)[] = [
          () => rng.pick(bootstraps),
          () => credentials.get(rng.pick(AGENTS)),
          () => assertion(agent, keys.get(rng.pick(AGENTS))!.privateKey, rng.int(5)),
          () => env.adminToken,
          () => bob,
          () => `stb1.${"0".repeat(64)}.${rng.pick(bootstraps).split(".").slice(2).join(".")}`,
          () => hostileAuthorization(rng, env.adminToken)?.replace(/^Bearer /, ""),
        ];
        const token = await rng.pick(tokens)();
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        if (rng.chance(0.7)) {
          const fields: Record<string, unknown> = {};
          if (route === "enroll" || rng.chance(0.1)) fields.publicKey = someKey();
          if (rng.chance(0.4)) fields.ttlSeconds = rng.pick([1, 0, -1, 3600, 3601, 1.5, 1e308, "60", null]);
          body = JSON.stringify(fields);
          headers["content-type"] = "application/json";
        } else if (rng.chance(0.5)) {
          const b = hostileBody(info("agents"), rng);
          body = b.text;
          headers["content-type"] = b.type;
        }
      } else if (kind === 3) {
        route = rng.chance(0.5) ? "sign-in-codes" : "sessions";
        path = `/ui/${route}`;
        const token = rng.pick([credentials.get(agent), bob, env.adminToken, rng.pick(bootstraps), undefined]);
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        if (route === "sessions") {
          const code = rng.chance(0.3)
            ? (await env.request("POST", "/ui/sign-in-codes", undefined, { authorization: `Bearer ${bob}` })).body.code
            : undefined;
          const b = hostileBody(info("agents"), rng);
          [body, headers["content-type"]] = rng.pick([
            [JSON.stringify({ code: code ?? hostileName(rng) }), "application/json"],
            [b.text, b.type],
            [`{"code":"${"x".repeat(rng.int(20_000))}"}`, "application/json"],
          ]);
        }
      } else {
        // An agent's credential against the API: its own and other agents' objects, hostile selectors.
        route = "api";
        const plural = rng.pick(["agentworks", "targets", "secrets", "agents", "leases", "events"]);
        const own = {
          agentworks: `work-${agent}`,
          targets: `host-${agent}`,
          secrets: SECRET_OF(agent),
          agents: agent,
          leases: `agent-${agent}`,
          events: "e",
        }[plural]!;
        const verb = rng.pick([
          "get",
          "list",
          "watch",
          "getStatus",
          "patchStatus",
          "putStatus",
          "create",
          "patch",
          "delete",
        ]);
        method = {
          get: "GET",
          list: "GET",
          watch: "GET",
          getStatus: "GET",
          patchStatus: "PATCH",
          putStatus: "PUT",
          create: "POST",
          patch: "PATCH",
          delete: "DELETE",
        }[verb]!;
        path = base(info(plural));
        if (!["list", "watch", "create"].includes(verb))
          path += `/${rng.chance(0.6) ? own : rng.pick([hostileName(rng), "work-fa-0", "fs-none", "fs-fa-1", "host-fa-2"])}`;
        if (verb.endsWith("Status")) path += "/status";
        const query = [
          verb === "watch" ? "watch=true&timeoutSeconds=1" : "",
          rng.chance(0.6)
            ? `fieldSelector=${encodeURIComponent(rng.pick([`spec.agent=${agent}`, `spec.agent.name=${agent}`, `spec.agent=${agent},spec.agent=fa-1`, `spec.agent!=${agent}`, `spec.agent==${agent}`, `spec.agent=${agent} `, "metadata.name=fs-none"]))}`
            : "",
          rng.chance(0.3) ? hostileQuery(rng) : "",
        ]
          .filter(Boolean)
          .join("&");
        if (query) path += `?${query}`;
        headers.authorization = `Bearer ${credentials.get(agent)}`;
        if (["patchStatus", "putStatus", "create", "patch"].includes(verb)) {
          const b = hostileBody(info(plural), rng);
          body = b.text;
          headers["content-type"] = b.type;
        }
        route = `${route} ${verb} ${plural}`;
      }
      const what = `#${sent} ${method} ${path.slice(0, 160)} ${headers["content-type"] ?? ""} ${body?.slice(0, 100) ?? ""}`;
      if (process.env.FUZZ_TRACE) process.stderr.write(`${what}\n`);
      let res: Response;
      try {
        res = await env.server.app.request(path, { method, headers, body });
      } catch (err) {
        findings.push(`${what}: threw ${(err as Error).message}`);
        continue;
      }
      if (route.startsWith("api watch") && res.status === 200) {
        const reader = res.body!.getReader();
        const first = await reader.read();
        await reader.cancel();
        const text = first.value ? new TextDecoder().decode(first.value) : "";
        checkSecrets(agent, text, what);
        continue;
      }
      const text = await res.text();
      if (res.status >= 500 && res.status !== 503 && res.status !== 504)
        findings.push(`${what}: ${res.status} ${text.slice(0, 300)}`);
      if (LEAKS.test(text)) findings.push(`${what}: leaks internals: ${text.slice(0, 300)}`);
      if (/PRIVATE KEY/.test(text)) findings.push(`${what}: echoes a private key`);
      const presented = headers.authorization?.replace(/^Bearer /, "");
      if (presented && presented.length > 20 && text.includes(presented)) findings.push(`${what}: echoes its token`);
      checkSecrets(agent, text, what);
      if (res.status >= 300) {
        let status: { kind?: string; code?: number } | undefined;
        try {
          status = JSON.parse(text);
        } catch {
          status = undefined;
        }
        if (status?.kind !== "Status" || status.code !== res.status)
          findings.push(`${what}: ${res.status} without a Status body: ${text.slice(0, 200)}`);
        continue;
      }
      const answer = JSON.parse(text) as {
        kind?: string;
        token?: string;
        metadata?: { namespace?: string; name?: string };
      };
      if (route === "sign-in-codes" && presented && agentCredentials().has(presented))
        findings.push(`${what}: an agent's credential got a dashboard sign-in code`);
      if (route === "enroll" && presented) {
        if (usedBootstraps.has(presented)) findings.push(`${what}: a bootstrap token enrolled twice`);
        usedBootstraps.add(presented);
      }
      if (route === "enroll") {
        // The key this answer enrolled is the one the request carried.
        const sentKey = (JSON.parse(body ?? "{}") as { publicKey?: string }).publicKey;
        if (typeof sentKey === "string") enrolledKeys.get(name)?.add(sentKey);
        if (answer.token) credentials.set(name, answer.token);
      }
      if (route === "token" && answer.token) credentials.set(name, answer.token);
      if (route.startsWith("api") && answer.metadata?.name && method !== "GET")
        created.add(`${route.split(" ")[2]} ${answer.metadata.namespace ?? ""}/${answer.metadata.name}`);
    }

    function checkSecrets(agent: string, text: string, what: string) {
      for (const other of [...AGENTS.filter((a) => a !== agent), "none"]) {
        const value = VALUE_OF(other === "none" ? "none" : other);
        if (text.includes(value) || text.includes(Buffer.from(value).toString("base64")))
          findings.push(`${what}: agent ${agent} sees the Secret of ${other}`);
      }
    }

    t.diagnostic(`sent ${sent} requests; findings: ${findings.length}`);
    for (const key of await names())
      if (!before.has(key) && !created.has(key)) findings.push(`stored without a 2xx answer: ${key}`);
    for (const agent of AGENTS) {
      const stored = (await env.request("GET", `${base(info("agents"))}/${agent}`)).body;
      const key = stored.spec?.publicKey as string | undefined;
      const known = [...enrolledKeys.get(agent)!].map((k) => k.replace(/\s+/g, ""));
      if (key && !known.some((k) => k.includes(key.replace(/\s+/g, ""))))
        findings.push(`agent ${agent} holds a key no 2xx enrollment answered for`);
    }
    assert.equal((await env.request("GET", "/healthz", undefined, {})).status, 200);
    assert.equal((await env.request("GET", "/readyz", undefined, {})).status, 200);
    const growth = process.memoryUsage().rss - rss0;
    assert.ok(growth < 400 * 1024 * 1024, `RSS grew by ${Math.round(growth / 2 ** 20)} MiB`);
    assert.deepEqual(findings.slice(0, 30), [], `seed ${seed}: ${findings.length} findings`);
  });
});
