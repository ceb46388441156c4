import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../command.ts";
import { memoryBounds } from "./memory-flags.ts";

test("memory flags set each cache's bound, and absent flags keep the defaults", () => {
  assert.deepEqual(memoryBounds({}), {});
  assert.deepEqual(
    memoryBounds({ "list-cache": "64Mi", "watch-cache-events": "2000", "pglite-shared-buffers": "16Mi" }),
    { listCacheBytes: 64 * 2 ** 20, watchCacheEvents: 2000, pgliteSharedBuffersMiB: 16 },
  );
  assert.deepEqual(memoryBounds({ "list-cache": "0" }), { listCacheBytes: 0 });
  assert.deepEqual(memoryBounds({ "list-cache": "1Gi" }), { listCacheBytes: 2 ** 30 });
});

test("a bad memory flag is a usage error naming the flag", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ "list-cache": "192MB" }, /--list-cache must be a size such as 512Ki, 192Mi, 1Gi or 0, not "192MB"/],
    [{ "list-cache": "-1" }, /--list-cache must be a size/],
    [{ "watch-cache-events": "10" }, /--watch-cache-events must be a whole number of at least 100, not "10"/],
    [{ "watch-cache-events": "1e4" }, /--watch-cache-events must be a whole number/],
    [{ "pglite-shared-buffers": "512Ki" }, /--pglite-shared-buffers must be whole mebibytes of at least 1Mi/],
    [{ "pglite-shared-buffers": "0" }, /--pglite-shared-buffers must be whole mebibytes/],
  ];
  for (const [flags, message] of cases) {
    assert.throws(
      () => memoryBounds(flags),
      (err: unknown) => err instanceof UsageError && message.test(err.message),
      JSON.stringify(flags),
    );
  }
});
