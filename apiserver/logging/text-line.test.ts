import assert from "node:assert/strict";
import { test } from "node:test";
import { logger } from "./logger.ts";
import { textLine } from "./text-line.ts";

const at = new Date("2026-12-06T14:03:07.412Z");

test("a text line: time, level, message, then key=value with quoting where needed", () => {
  const line = textLine(
    { time: at, level: "info", msg: "request", fields: { user: "admin", path: "/a b", code: 200, n: undefined } },
    false,
  );
  assert.equal(line, '14:03:07.412 INFO  request user=admin path="/a b" code=200\n');
});

test("a newline or escape in a field cannot forge a second line", () => {
  const line = textLine(
    { time: at, level: "warn", msg: "m", fields: { path: "/x\n14:00:00.000 ERROR forged" } },
    false,
  );
  assert.equal(line.split("\n").length, 2);
  assert.match(line, /path="\/x\\n14:00:00.000 ERROR forged"/);
});

test("colour only when asked; levels below the threshold are dropped", () => {
  const lines: string[] = [];
  const log = logger("info", { kind: "text", color: true }, (l) => lines.push(l));
  log.debug("hidden");
  log.with({ component: "controllers" }).error("boom", { error: "x" });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /\x1b\[31mERROR\x1b\[0m boom component=controllers error=x/);
  const json: string[] = [];
  logger("info", { kind: "json" }, (l) => json.push(l)).info("hi", { a: 1 });
  assert.deepEqual({ ...JSON.parse(json[0]), time: undefined }, { time: undefined, level: "info", msg: "hi", a: 1 });
});
