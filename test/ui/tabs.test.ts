// Several dashboard tabs of one browser profile at once, in real headless Chromium. Each pipeline
// tab holds three streamed watches; over HTTP/1.1 a browser opens at most 6 connections per origin,
// so a third tab would hang. The server speaks HTTP/2, where every tab's requests and watches are
// streams on one connection: each tab loads, and a change made through the API shows on every one.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "puppeteer-core";
import { collection } from "../fixtures.ts";
import { launch, requireChromium, signInTab, textOf, type PageErrors } from "./browser.ts";
import { mergePatch, NS, startUiEnv, type UiEnv } from "./ui-env.ts";

/** More tabs than 6 HTTP/1.1 connections could serve with three watches each. */
const TABS = 4;
let ui: UiEnv | undefined;
let browser: Browser | undefined;

before(async () => {
  ui = await startUiEnv();
});
after(async () => {
  await browser?.close();
  await ui?.stop();
});

test(`${TABS} pipeline tabs in one browser profile load, follow changes live, and talk h2`, async (t) => {
  const path = requireChromium(t);
  if (!path) return;
  browser = await launch(path, ui!.env.server.pki.serverCertPem);
  const ctx = await browser.createBrowserContext();
  const errors: PageErrors[] = [];
  const screen = `/ui/ns/${NS}/pipeline`;
  const pages = [];
  for (let i = 0; i < TABS; i++) pages.push(await signInTab(ctx, ui!.url, ui!.tokens.alice, screen, errors));
  for (const page of pages) assert.match(await textOf(page, "[data-env=dev] .targets"), /1\/1 ready/);
  await mergePatch(ui!.env, `${collection("environments", NS)}/dev/status`, {
    status: { readyTargets: 0, totalTargets: 1 },
  });
  await Promise.all(
    pages.map((page) =>
      // Background tabs get no animation frames (the default polling), and the page changes the
      // text node's data (which mutation polling does not observe): poll on a timer.
      page.waitForFunction(
        () => /0\/1 ready/.test(document.querySelector("[data-env=dev] .targets")?.textContent ?? ""),
        { polling: 100 },
      ),
    ),
  );
  for (const page of pages) {
    const protocols = await page.evaluate(() =>
      performance
        .getEntriesByType("navigation")
        .concat(performance.getEntriesByType("resource"))
        .map((e) => [e.name, (e as PerformanceResourceTiming).nextHopProtocol]),
    );
    assert.ok(
      protocols.some(([name]) => name.includes("/apis/")),
      `the page's API requests: ${protocols}`,
    );
    for (const [name, protocol] of protocols) assert.equal(protocol, "h2", name);
  }
  assert.deepEqual(
    errors.flatMap((e) => e.errors),
    [],
  );
  await ctx.close();
});
