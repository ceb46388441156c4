// The estate's erroring test image, shop/web:1.5.0-errors (hack/estate/images.sh), for real: healthy
// on /healthz, while its index answers 500 to ERROR_PERCENT percent of requests (20 by default), also
// under the command the examples' release gives the web component. Skipped locally when the estate
// is down; fails under CI.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadExample } from "../fixtures.ts";
import { estateSkipReason } from "./estate-env.ts";
import { freePort } from "./registry-process.ts";
import { get, startWeb, tallyStatuses, type WebContainer } from "./web-container.ts";

const skip = await estateSkipReason();
const IMAGE = "shop/web:1.5.0-errors";
const started: WebContainer[] = [];

/** The web component's command in ../shared/examples/release.yaml (replaces the image's CMD). */
function releaseCommand(): string[] {
  const web = loadExample("release.yaml")[0].spec.components.find((c: { name: string }) => c.name === "web");
  return web.command as string[];
}

async function start(env: Record<string, string>, command: string[] = []): Promise<WebContainer> {
  const web = await startWeb(IMAGE, await freePort(), env, command);
  started.push(web);
  return web;
}

describe("the erroring test image", { skip }, () => {
  after(async () => {
    for (const web of started) await web.remove();
  });

  it("answers 500 to about a fifth of requests by default, under the release's command", async () => {
    const web = await start({}, releaseCommand());
    assert.equal((await get(`http://${web.address}/healthz`)).status, 200);
    assert.equal((await get(`http://${web.address}/version`)).body.trim(), "1.5.0");
    const tally = await tallyStatuses(`http://${web.address}/`, 200);
    assert.deepEqual([...tally.keys()].sort(), [200, 500], JSON.stringify([...tally]));
    // Binomial(200, 0.2): mean 40, sd 5.7; 10..90 leaves it a chance below 1e-7 to fail.
    const errors = tally.get(500) ?? 0;
    assert.ok(errors >= 10 && errors <= 90, `${errors} of 200 answered 500`);
  });

  it("takes the share from ERROR_PERCENT: 100 fails every request, 0 none", async () => {
    const [always, never] = await Promise.all([start({ ERROR_PERCENT: "100" }), start({ ERROR_PERCENT: "0" })]);
    assert.deepEqual([...(await tallyStatuses(`http://${always.address}/`, 20))], [[500, 20]]);
    assert.deepEqual([...(await tallyStatuses(`http://${never.address}/`, 20))], [[200, 20]]);
    const page = await get(`http://${never.address}/`);
    assert.match(page.body, /shop web 1\.5\.0/);
    assert.equal((await get(`http://${always.address}/healthz`)).status, 200, "healthy while it fails requests");
  });
});
