// Attacks on the dashboard sign-in (what `stella dashboard` and the page use): POST /ui/sign-in-codes
// as the kubeconfig's user, then POST /ui/sessions with the one-time code. A code works once, even
// when raced; guesses find nothing and use up no real code; the exchange reads a bounded body; only
// a person's token may ask for a code (an agent's credential must not become a session that
// outlives its revocation and its scope).
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { startEnv, type TestEnv } from "../env.ts";

const G = "/apis/release.stella.io/v1alpha1";
const E = "/agent-enrollment/v1";
const NS = "default";

describe("dashboard sign-in under attack", () => {
  let env: TestEnv;
  let bob = "";
  before(async () => {
    env = await startEnv({ dashboard: true });
    bob = await env.token("bob", "viewer", NS);
  });
  after(() => env.stop());

  const codeFor = async (token: string) => {
    const res = await env.request("POST", "/ui/sign-in-codes", undefined, { authorization: `Bearer ${token}` });
    assert.equal(res.status, 201, res.text);
    return res.body.code as string;
  };
  const exchange = (code: unknown) => env.request("POST", "/ui/sessions", { code }, {});

  test("a code is exchanged once, also when two exchanges race; the session is the same user", async () => {
    const code = await codeFor(bob);
    const answers = await Promise.all([exchange(code), exchange(code), exchange(code)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 401, 401]);
    const won = answers.find((a) => a.status === 201)!;
    assert.equal(won.body.user, "bob");
    const review = await env.request("GET", `${G}/namespaces/${NS}/environments`, undefined, {
      authorization: `Bearer ${won.body.token}`,
    });
    assert.equal(review.status, 200, "the session reads what bob may read");
    const write = await env.request(
      "POST",
      `${G}/namespaces/${NS}/environments`,
      { apiVersion: "release.stella.io/v1alpha1", kind: "Environment", metadata: { name: "nope" }, spec: {} },
      { authorization: `Bearer ${won.body.token}` },
    );
    assert.equal(write.status, 403, "and no more than bob may do");
    for (const a of answers.filter((x) => x.status === 401)) assert.equal(a.body.kind, "Status");
  });

  test("guessed codes find nothing and do not use up the real one", async () => {
    const code = await codeFor(bob);
    const guesses = [
      code.slice(0, -1) + (code.endsWith("A") ? "B" : "A"),
      code.toUpperCase(),
      `${code} `,
      "",
      "x".repeat(2000),
      ...Array.from({ length: 200 }, (_, i) => `guess-${i}`),
    ];
    for (const guess of guesses) {
      const res = await exchange(guess);
      assert.equal(res.status, 401, `${JSON.stringify(guess.slice(0, 20))}: ${res.text}`);
      assert.equal(res.body.kind, "Status");
    }
    // Not a code at all (or one holding a NUL, which no body may): 400, and the real one is untouched.
    for (const wrong of [42, null, ["a"], { code }, "\u0000"]) assert.equal((await exchange(wrong)).status, 400);
    assert.equal((await exchange(code)).status, 201, "the real code still works once");
  });

  test("the exchange reads a bounded body: a huge one is 413 Status, unauthenticated as it is", async () => {
    const res = await env.server.app.request("/ui/sessions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"code":"${"x".repeat(8 * 1024 * 1024)}"}`,
    });
    const text = await res.text();
    assert.equal(res.status, 413, text.slice(0, 200));
    assert.equal(JSON.parse(text).kind, "Status");
    for (const [type, body] of [
      ["application/json", '{"code":"\\ud800"}'],
      ["application/yaml", "code: &a [*a]"],
      ["application/json", "[".repeat(50_000)],
    ]) {
      const r = await env.server.app.request("/ui/sessions", {
        method: "POST",
        headers: { "content-type": type },
        body,
      });
      const t = await r.text();
      assert.ok([400, 401, 413].includes(r.status), `${type} ${body.slice(0, 20)}: ${r.status} ${t}`);
      assert.equal(JSON.parse(t).kind, "Status");
    }
  });

  test("an agent's credential may not ask for a code; a bootstrap token or none is 401", async () => {
    await env.request("POST", `${G}/namespaces/${NS}/agents`, {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Agent",
      metadata: { name: "no-ui" },
      spec: {},
    });
    const boot = await env.request("POST", `${E}/namespaces/${NS}/agents/no-ui/bootstrap`, {});
    assert.equal(boot.status, 200, boot.text);
    const publicKey = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const enrolled = await env.request(
      "POST",
      `${E}/namespaces/${NS}/agents/no-ui/enroll`,
      { publicKey },
      { authorization: `Bearer ${boot.body.token}` },
    );
    assert.equal(enrolled.status, 200, enrolled.text);
    const asAgent = await env.request("POST", "/ui/sign-in-codes", undefined, {
      authorization: `Bearer ${enrolled.body.token}`,
    });
    assert.equal(asAgent.status, 403, asAgent.text);
    assert.equal(asAgent.body.kind, "Status");
    assert.equal(asAgent.body.code, 403);
    for (const authorization of [`Bearer ${boot.body.token}`, "", "Bearer x.y.z"]) {
      const res = await env.request("POST", "/ui/sign-in-codes", undefined, { authorization });
      assert.equal(res.status, 401, res.text);
    }
  });
});
