import { test } from "node:test";
import assert from "node:assert/strict";
import { KeyedLock } from "./keyed-lock.ts";

const tick = () => new Promise((r) => setImmediate(r));

test("calls for one key run one at a time, in order; other keys are not held up; failures release", async () => {
  const lock = new KeyedLock();
  const log: string[] = [];
  let inside = 0;
  const work = (key: string, id: string, fail = false) =>
    lock.run(key, async () => {
      inside++;
      assert.equal(inside <= 2, true);
      log.push(`${id}+`);
      await tick();
      await tick();
      log.push(`${id}-`);
      inside--;
      if (fail) throw new Error(id);
      return id;
    });
  const results = await Promise.allSettled([work("a", "a1"), work("a", "a2", true), work("b", "b1"), work("a", "a3")]);
  assert.deepEqual(
    results.map((r) => r.status),
    ["fulfilled", "rejected", "fulfilled", "fulfilled"],
  );
  const a = log.filter((l) => l.startsWith("a"));
  assert.deepEqual(a, ["a1+", "a1-", "a2+", "a2-", "a3+", "a3-"]);
  assert.ok(log.indexOf("b1+") < log.indexOf("a1-"), "key b ran while key a was held");
});
