import { test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "./command.ts";
import { parseDurationSeconds, parseFlags, parseTimeoutMs } from "./args.ts";
import { hoistLeadingFlags } from "./global-flags.ts";

test("connection flags before the command move after it", () => {
  assert.deepEqual(hoistLeadingFlags(["-n", "shop", "get", "envs"]), ["get", "-n", "shop", "envs"]);
  assert.deepEqual(hoistLeadingFlags(["--kubeconfig=/k", "-A", "get", "envs"]), [
    "get",
    "--kubeconfig=/k",
    "-A",
    "envs",
  ]);
  assert.deepEqual(hoistLeadingFlags(["--context", "c", "config", "view"]), ["config", "--context", "c", "view"]);
  assert.deepEqual(hoistLeadingFlags(["get", "-n", "shop"]), ["get", "-n", "shop"]);
  assert.deepEqual(hoistLeadingFlags(["--bogus", "get"]), ["--bogus", "get"]);
  assert.deepEqual(hoistLeadingFlags(["-n", "shop"]), ["-n", "shop"]);
});

test("unknown flags and missing values are usage errors", () => {
  assert.throws(() => parseFlags(["--nope"], { a: { type: "string" } }), UsageError);
  assert.throws(() => parseFlags(["--a"], { a: { type: "string" } }), UsageError);
  const { values, positionals } = parseFlags(["x", "-n", "shop"], { namespace: { type: "string", short: "n" } }, true);
  assert.equal(values.namespace, "shop");
  assert.deepEqual(positionals, ["x"]);
});

test("booleans take kubectl's --flag=true and --flag=false", () => {
  const opts = { wait: { type: "boolean", default: true }, name: { type: "string" } } as const;
  assert.equal(parseFlags(["--wait=false"], opts).values.wait, false);
  assert.equal(parseFlags(["--wait=true"], opts).values.wait, true);
  assert.equal(parseFlags([], opts).values.wait, true);
  assert.equal(parseFlags(["--name=false"], opts).values.name, "false");
  assert.throws(() => parseFlags(["--wait=maybe"], opts), UsageError);
});

test("durations", () => {
  assert.equal(parseDurationSeconds("90s", "timeout"), 90);
  assert.equal(parseDurationSeconds("2m", "timeout"), 120);
  assert.throws(() => parseDurationSeconds("soon", "timeout"), UsageError);
});

test("timeouts are Go durations", () => {
  assert.equal(parseTimeoutMs("30s"), 30_000);
  assert.equal(parseTimeoutMs("1m30s"), 90_000);
  assert.equal(parseTimeoutMs("500ms"), 500);
  assert.equal(parseTimeoutMs("0"), 0);
  assert.equal(parseTimeoutMs("0s"), 0);
  assert.throws(() => parseTimeoutMs("30"), UsageError);
  assert.throws(() => parseTimeoutMs("1x"), UsageError);
});
