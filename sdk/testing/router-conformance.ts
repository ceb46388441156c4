// The router conformance suite: one function every router's test calls against its REAL server
// (haproxy: a haproxy process with a runtime API; nginx: an nginx master it reloads). The suite
// starts identity backends, several per side (a canary over several targets has one unit on each),
// hands their addresses to the fixture, and sends real requests through the router to check what
// the canary controller relies on:
//   - a weight, once set, is what observe reads back, and the traffic split follows it (within ±5
//     points over 400 requests at 10% and 50%, every address of both sides answering some;
//     exactly at 0% and 100%);
//   - a side given fewer addresses stops sending requests to the ones it no longer lists;
//   - a weight outside 0-100 is refused with a RouterError, and nothing changes;
//   - a header or cookie route sends exactly the matching requests to the canary, whatever the
//     weight, and removing it sends them back to the split;
//   - a router that cannot be reached rejects with RouterError RouterUnreachable: it never reports
//     a weight it did not read back.
// The cases run in order and build on each other.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RouterError, type RouteMatch, type Router, type RouteTarget } from "../plugins/router.ts";
import { type IdentityPools, sendRequests, startIdentityPools } from "./router-traffic.ts";

export {
  sendRequests,
  startIdentityBackends,
  startIdentityPools,
  type IdentityBackends,
  type IdentityPools,
  type Tally,
} from "./router-traffic.ts";

/** What a router's test gives the suite. */
export interface RouterFixture {
  router: Router;
  /** host:port where requests enter the router. */
  entry: string;
  /** Stops the router's server (the suite then expects RouterUnreachable). */
  stop(): Promise<void>;
  /** Removes whatever setup started (stopping the server if it still runs) and closes the router. */
  cleanup(): Promise<void>;
}

/** Options of routerConformance. */
export interface RouterConformanceOptions {
  name: string;
  /** Set to skip the whole suite (the router's server is not available here). */
  skip?: string;
  /** Starts the router's server in front of the backends (POOL addresses a side at most); names nothing others use. */
  setup(backends: { stable: readonly string[]; canary: readonly string[] }): Promise<RouterFixture>;
}

/** Requests per weight check, and the tolerance in percentage points. */
const SAMPLE = 400;
const TOLERANCE = 5;
/** Identity backends per side: more stable than canary, as when a canary runs on fewer targets. */
export const POOL = { stable: 3, canary: 2 };

const HEADER: RouteMatch = { name: "X-Canary", value: "always" };
const COOKIE: RouteMatch = { name: "canary_user", value: "yes", cookie: true };

/** A route's matches as the contract compares them: header names in lower case, in a stable order. */
function normal(matches: readonly RouteMatch[] | undefined): RouteMatch[] | undefined {
  return matches
    ?.map((m) => (m.cookie ? { ...m } : { ...m, name: m.name.toLowerCase() }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function isRouterError(reason: string) {
  return (err: unknown) => {
    assert.ok(err instanceof RouterError, `expected a RouterError, got ${String(err)}`);
    assert.equal(err.reason, reason, err.message);
    return true;
  };
}

/** Registers the router conformance cases (node:test describe/it) for one router. */
export function routerConformance(opts: RouterConformanceOptions): void {
  describe(`router conformance: ${opts.name}`, { skip: opts.skip }, () => {
    let backends: IdentityPools;
    let fx: RouterFixture;
    let target: RouteTarget;
    const router = () => fx.router;

    before(async () => {
      backends = await startIdentityPools(POOL);
      fx = await opts.setup({ stable: backends.stable, canary: backends.canary });
      target = {
        namespace: "conformance",
        environment: "prod",
        component: "web",
        stable: backends.stable,
        canary: backends.canary,
      };
    });
    after(async () => {
      await fx?.cleanup();
      await backends?.close();
    });

    async function checkSplit(weight: number): Promise<void> {
      await router().setWeight(target, weight);
      assert.equal((await router().observe(target)).canaryWeight, weight, "observe after setWeight");
      const addresses = [...target.stable, ...target.canary];
      const before = addresses.map((a) => backends.hits(a));
      const tally = await sendRequests(fx.entry, SAMPLE);
      if (weight !== 0 && weight !== 100)
        addresses.forEach((a, i) => assert.ok(backends.hits(a) > before[i], `${a} answered none at weight ${weight}`));
      assert.equal(tally.other, 0, `requests failed: ${JSON.stringify(tally)}`);
      const share = (100 * tally.canary) / SAMPLE;
      if (weight === 0 || weight === 100) assert.equal(share, weight, JSON.stringify(tally));
      else assert.ok(Math.abs(share - weight) <= TOLERANCE, `${share}% reached the canary at weight ${weight}`);
    }

    it("at weight 0 every request goes to stable", () => checkSplit(0));
    it("at weight 10 the canary gets 10% ±5 of the requests", () => checkSplit(10));
    it("at weight 50 the canary gets 50% ±5 of the requests", () => checkSplit(50));
    it("at weight 100 every request goes to the canary", () => checkSplit(100));

    it("refuses a weight outside 0-100 with a RouterError and keeps the weight", async () => {
      for (const bad of [101, -1, 12.5, Number.NaN])
        await assert.rejects(router().setWeight(target, bad), isRouterError("InvalidWeight"));
      assert.equal((await router().observe(target)).canaryWeight, 100);
    });

    it("a side given fewer addresses sends nothing to the ones it no longer lists", async () => {
      const fewer = { ...target, stable: target.stable.slice(0, 1), canary: target.canary.slice(0, 1) };
      await router().setWeight(fewer, 50);
      const dropped = [...target.stable.slice(1), ...target.canary.slice(1)];
      const before = dropped.map((a) => backends.hits(a));
      const tally = await sendRequests(fx.entry, 100);
      assert.equal(tally.other, 0, JSON.stringify(tally));
      assert.ok(tally.stable > 0 && tally.canary > 0, JSON.stringify(tally));
      assert.deepEqual(
        dropped.map((a) => backends.hits(a)),
        before,
        "addresses no longer listed answered requests",
      );
      assert.equal((await router().observe(fewer)).canaryWeight, 50);
    });

    it("a header route sends exactly the matching requests to the canary", async () => {
      await router().setWeight(target, 0);
      await router().setMatchRoute(target, "beta", [HEADER]);
      assert.deepEqual(normal((await router().observe(target)).matches.beta), normal([HEADER]));
      assert.deepEqual(await sendRequests(fx.entry, 50, { "x-canary": "always" }), { stable: 0, canary: 50, other: 0 });
      assert.deepEqual(await sendRequests(fx.entry, 50), { stable: 50, canary: 0, other: 0 });
      assert.deepEqual(await sendRequests(fx.entry, 20, { "x-canary": "Always" }), { stable: 20, canary: 0, other: 0 });
    });

    it("a cookie route sends exactly the matching requests to the canary, beside the header route", async () => {
      await router().setMatchRoute(target, "testers", [COOKIE]);
      const matches = (await router().observe(target)).matches;
      assert.deepEqual(normal(matches.beta), normal([HEADER]));
      assert.deepEqual(normal(matches.testers), normal([COOKIE]));
      const cookie = (value: string) => ({ cookie: `session=1; canary_user=${value}` });
      assert.deepEqual(await sendRequests(fx.entry, 30, cookie("yes")), { stable: 0, canary: 30, other: 0 });
      assert.deepEqual(await sendRequests(fx.entry, 30, cookie("no")), { stable: 30, canary: 0, other: 0 });
      assert.deepEqual(await sendRequests(fx.entry, 30, { "x-canary": "always" }), { stable: 0, canary: 30, other: 0 });
    });

    it("removing a route sends its requests back to the weight split", async () => {
      await router().setMatchRoute(target, "beta", []);
      await router().setMatchRoute(target, "testers", []);
      assert.deepEqual((await router().observe(target)).matches, {});
      assert.deepEqual(await sendRequests(fx.entry, 30, { "x-canary": "always" }), { stable: 30, canary: 0, other: 0 });
    });

    it("a router that cannot be reached is RouterUnreachable, never a weight", async () => {
      await fx.stop();
      await assert.rejects(router().setWeight(target, 20), isRouterError("RouterUnreachable"));
      await assert.rejects(router().observe(target), isRouterError("RouterUnreachable"));
    });
  });
}
