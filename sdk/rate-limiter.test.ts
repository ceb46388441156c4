import { test } from "node:test";
import assert from "node:assert/strict";
import { ItemExponentialRateLimiter, MaxOfRateLimiter, TokenBucketRateLimiter } from "./rate-limiter.ts";

test("the token bucket allows a burst, then one item per 1/qps seconds", () => {
  let now = 0;
  const bucket = new TokenBucketRateLimiter<string>(10, 3, () => now);
  assert.deepEqual(
    [1, 2, 3].map((i) => bucket.when(`k${i}`)),
    [0, 0, 0],
    "burst of 3",
  );
  assert.equal(bucket.when("k4"), 100, "next token in 100 ms");
  assert.equal(bucket.when("k5"), 200, "reservations queue up");
  now = 1000; // a second later 10 tokens have come back, minus the 2 reserved
  assert.equal(bucket.when("k6"), 0);
});

test("the bucket refills no further than the burst", () => {
  let now = 0;
  const bucket = new TokenBucketRateLimiter<string>(10, 2, () => now);
  now = 60_000;
  assert.deepEqual(
    [1, 2, 3].map(() => bucket.when("k")),
    [0, 0, 100],
  );
});

test("the combined limiter takes the larger delay of per-item backoff and the overall bucket", () => {
  let now = 0;
  const limiter = new MaxOfRateLimiter<string>(
    new ItemExponentialRateLimiter<string>(5, 1000),
    new TokenBucketRateLimiter<string>(1, 1, () => now),
  );
  assert.equal(limiter.when("a"), 5, "item backoff; bucket has its token");
  assert.equal(limiter.when("b"), 1000, "bucket empty: 1 s");
  now = 10_000;
  assert.equal(limiter.when("a"), 10, "a's second failure");
  limiter.forget("a");
  assert.equal(limiter.numRequeues("a"), 0);
});
