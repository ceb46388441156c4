import { test } from "node:test";
import assert from "node:assert/strict";
import { Progress } from "./progress.ts";

const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { isTTY, columns: 40, out, write: (s: string) => out.push(s) };
};

test("off a terminal, progress prints nothing but logged lines", () => {
  const s = sink(false);
  const p = new Progress(s);
  p.update("waiting for environment/dev");
  p.log("environment/dev condition met", s);
  p.stop();
  assert.deepEqual(s.out, ["environment/dev condition met\n"]);
});

test("on a terminal it redraws one line in place, cut to the width, and erases it on stop", () => {
  const s = sink(true);
  const p = new Progress(s);
  p.update("waiting for environment.release.stella.io/a-long-name to become Ready");
  p.stop();
  assert.ok(s.out[0].startsWith("\r\x1b[2K⠋ 0s waiting"), JSON.stringify(s.out[0]));
  assert.ok(s.out[0].length <= 6 + 40);
  assert.equal(s.out.at(-1), "\r\x1b[2K");
});
