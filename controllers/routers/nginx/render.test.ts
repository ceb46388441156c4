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
});
