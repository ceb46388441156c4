import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RouterError } from "../../../sdk/plugins/router.ts";
import { parseRenderedState, renderConfig } from "./render.ts";

const backends = { listen: "127.0.0.1:8080", stable: ["127.0.0.1:9001"], canary: ["127.0.0.1:9002"] };

describe("nginx router configuration", () => {
  it("splits by weight and marks a side with weight 0 down (nginx has no weight 0)", () => {
    const text = renderConfig("p", { generation: 1, canaryWeight: 0, matches: {} }, backends);
    assert.match(
      text,
      /upstream p_split \{\n {4}server 127\.0\.0\.1:9001 weight=100;\n {4}server 127\.0\.0\.1:9002 down;/,
    );
  });

  it("weighs each side's servers so the side totals give the canary's share, whatever the counts", () => {
    const three = { ...backends, stable: ["127.0.0.1:9001", "127.0.0.1:9003", "127.0.0.1:9005"] };
    const text = renderConfig("p", { generation: 1, canaryWeight: 10, matches: {} }, three);
    const split = /upstream p_split \{\n([^}]*)\}/.exec(text)?.[1] ?? "";
    const weights = [...split.matchAll(/server (\S+) weight=(\d+);/g)].map((m) => [m[1], Number(m[2])]);
    assert.deepEqual(weights, [
      ["127.0.0.1:9001", 90],
      ["127.0.0.1:9003", 90],
      ["127.0.0.1:9005", 90],
      ["127.0.0.1:9002", 30],
    ]);
  });

  it("matches a route's header and cookie together, case-sensitively", () => {
    const matches = {
      beta: [
        { name: "X-Canary", value: "a.b" },
        { name: "user", value: "yes", cookie: true },
      ],
    };
    const text = renderConfig("p", { generation: 2, canaryWeight: 10, matches }, backends);
    assert.match(text, /map "\$http_x_canary\|\$cookie_user" \$p_r0 \{\n {4}"~\^a\[\.\]b\[\|\]yes\$" 1;/);
  });

  it("keeps the state it was rendered from, for the next write", () => {
    const state = { generation: 3, canaryWeight: 50, matches: { beta: [{ name: "x", value: "y" }] } };
    assert.deepEqual(parseRenderedState(renderConfig("p", state, backends)), state);
  });

  it("refuses values nginx would need quoting for", () => {
    const matches = { beta: [{ name: "x", value: "a b" }] };
    assert.throws(() => renderConfig("p", { generation: 1, canaryWeight: 0, matches }, backends), RouterError);
  });

  it("logs each proxied request's side and status when given an access log, and nothing else", () => {
    const state = { generation: 1, canaryWeight: 10, matches: {} };
    assert.doesNotMatch(renderConfig("p", state, backends), /access_log|log_format/);
    const two = { ...backends, canary: ["127.0.0.1:9002", "127.0.0.1:9004"], accessLog: "/var/log/stella/p.log" };
    const text = renderConfig("p", state, two);
    assert.match(
      text,
      /map \$upstream_addr \$p_side \{\n {4}"~\(\^\|, \)127\[\.\]0\[\.\]0\[\.\]1\[:\]9002\$" canary;\n {4}"~\(\^\|, \)127\[\.\]0\[\.\]0\[\.\]1\[:\]9004\$" canary;\n {4}default stable;\n\}/,
    );
    assert.match(text, /log_format p_sides 'p \$p_side \$status';/);
    // In the generated server only (never at http level, where every server would inherit it),
    // and not for the router's own read back.
    assert.match(text, /server \{\n {4}listen 127\.0\.0\.1:8080;\n {4}access_log \/var\/log\/stella\/p\.log p_sides;/);
    assert.match(text, /location = \/\.stella\/router-state \{\n {8}access_log off;/);
    // The pre-canary trick (canary = stable addresses) logs everything as stable.
    const same = renderConfig("p", state, { ...backends, canary: backends.stable, accessLog: "/l" });
    assert.doesNotMatch(same, /" canary;/);
    assert.throws(() => renderConfig("p", state, { ...backends, accessLog: "/a b" }), RouterError);
  });
});
