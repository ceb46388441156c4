import { test } from "node:test";
import assert from "node:assert/strict";
import { colorEnabled, palette } from "./color.ts";

test("colour only on a terminal, and never with NO_COLOR or TERM=dumb", () => {
  assert.equal(colorEnabled({ isTTY: true }, {}), true);
  assert.equal(colorEnabled({ isTTY: false }, {}), false);
  assert.equal(colorEnabled({}, {}), false);
  assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: "1" }), false);
  assert.equal(
    colorEnabled({ isTTY: true }, { NO_COLOR: "" }),
    true,
    "an empty NO_COLOR does not count (no-color.org)",
  );
  assert.equal(colorEnabled({ isTTY: true }, { TERM: "dumb" }), false);
});

test("a palette that is off returns text unchanged", () => {
  assert.equal(palette(false).red("x"), "x");
  assert.equal(palette(true).red("x"), "\x1b[31mx\x1b[39m");
  assert.equal(palette(true).green(""), "");
});
