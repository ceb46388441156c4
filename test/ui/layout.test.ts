// Every dashboard screen on a phone (390x844) and at 800 px in real headless Chromium: the
// document never scrolls sideways (wide tables scroll inside their own region), the navigation
// folds behind a Menu button on the phone, and each screen's main actions are on screen, not
// covered by anything, and open what they should; axe-core finds no serious violations at either
// size (with the phone's menu open too). The estate is ui-env.ts's, plus a canary and
// two evidence packets so that every screen has something to show.
import { after, before, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { createPacket } from "../evidence/packets.ts";
import { seriousViolations } from "./axe.ts";
import { launch, requireChromium, signIn, type PageErrors } from "./browser.ts";
import { createCanary, NAMES, NS, startUiEnv, type UiEnv } from "./ui-env.ts";

const SHOTS = process.env.STELLA_UI_SCREENSHOTS ?? join(tmpdir(), "stella-ui-screenshots");
const CANARY = "shop-web-1-4-0";
let ui: UiEnv | undefined;
let browser: Browser | undefined;
const pageErrors: PageErrors[] = [];

before(async () => {
  ui = await startUiEnv();
  await mkdir(SHOTS, { recursive: true });
  await createCanary(ui.env, CANARY);
  await createPacket(ui.env, NS, "approval-a");
  await createPacket(ui.env, NS, "approval-b");
});
after(async () => {
  await browser?.close();
  await ui?.stop();
});

/** A screen: its path under /ui/ns/shop/, what shows once it has loaded, and its main actions. */
interface Screen {
  name: string;
  path: string;
  ready: string;
  /** Controls that must be on screen and uncovered (enabled ones: their server said yes). */
  actions: string[];
  /** Controls that open a confirmation whose buttons must be reachable too (then cancelled). */
  confirms?: string[];
  /** Containers that must fit the window without scrolling sideways themselves. */
  fits?: string[];
}

const SCREENS: Screen[] = [
  {
    name: "pipeline",
    path: "pipeline",
    ready: "[data-env=prod]",
    actions: [
      "[data-node=staging]",
      "#promote-release-staging",
      "button[data-promote=staging]:not([disabled])",
      "button[data-promote=prod]",
    ],
    confirms: ["button[data-promote=staging]"],
    fits: [".pipeline", "figure.graph"],
  },
  { name: "release", path: `releases/${NAMES.release}`, ready: ".annotations", actions: [".scroll"] },
  {
    name: "promotion",
    path: `promotions/${NAMES.promotion}`,
    ready: "button.approve:not([disabled])",
    actions: ["#comment", "button.approve", "button.reject:not([disabled])", "[aria-label=Gates]"],
    fits: ["form.decision", "dl.facts"],
  },
  {
    name: "deployment",
    path: `deployments/${NAMES.deployment}`,
    ready: "[data-action=pause]",
    actions: ["[data-action=pause]", "[data-action=abort]", "button.rollback-start", ".progress"],
    confirms: ["[data-action=pause]"],
    fits: [".controls", ".rollback", "dl.facts"],
  },
  { name: "targets", path: "targets", ready: "[data-target=dev-docker]", actions: ["[aria-label=Targets]"] },
  {
    name: "canaries",
    path: "canaries",
    ready: `a[href$="/canaries/${CANARY}"]`,
    actions: [`a[href$="/canaries/${CANARY}"]`],
  },
  { name: "canary", path: `canaries/${CANARY}`, ready: "figure.chart", actions: [".current-weight", "figure.chart"] },
  { name: "evidence", path: "evidence", ready: "[data-packet=approval-b][data-ok=true]", actions: [".chain-verdict"] },
  {
    name: "audit",
    path: "audit",
    ready: "[data-audit-user]",
    actions: ["input[name=user]", ".filters button[type=submit]"],
  },
];

const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844, isMobile: true, hasTouch: true } },
  { name: "800", viewport: { width: 800, height: 900 } },
];

async function browserFor(t: TestContext): Promise<Browser | undefined> {
  const path = requireChromium(t);
  if (!path) return undefined;
  browser ??= await launch(path, ui!.env.server.pki.serverCertPem);
  return browser;
}

/** How many pixels the document is wider than the window (0 or less: no sideways scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * Why the element `selector` could not be clicked where it is, or "" when it can: scrolled into
 * view it has a size, lies inside the window's width, and the point at its centre hits it (nothing
 * covers it).
 */
const unreachable = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return `${sel}: missing`;
    el.scrollIntoView({ block: "center", inline: "nearest" });
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return `${sel}: not shown`;
    if (r.left < 0 || r.right > window.innerWidth + 0.5) return `${sel}: outside the window (${r.left}..${r.right})`;
    // An inline element wrapped over lines is hit on its first line's box, not between the lines.
    const box = el.getClientRects()[0] ?? r;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit && (el === hit || el.contains(hit)) ? "" : `${sel}: covered by ${hit?.outerHTML.slice(0, 80)}`;
  }, selector);

/** How many pixels the content of `selector` is wider than its box (0 or less: it fits). */
const sideways = (page: Page, selector: string) =>
  page.$eval(selector, (e) => Math.max(e.scrollWidth - e.clientWidth, e.getBoundingClientRect().right - innerWidth));

/** Asserts that `selectors` are reachable on `page`, naming the screen and size on failure. */
async function assertReachable(page: Page, where: string, selectors: string[]) {
  for (const sel of selectors) assert.equal(await unreachable(page, sel), "", `${where}: ${sel}`);
}

/** The navigation and namespace: behind Menu on the phone (opened, each reachable, closed again). */
async function checkNavigation(page: Page, where: string, phone: boolean) {
  const links = `#screens-nav a`;
  const count = await page.$$eval(links, (els) => els.length);
  assert.equal(count, 5, `${where}: five screens in the navigation`);
  if (!phone) {
    await assertReachable(page, where, [`${links}:nth-child(1)`, `${links}:nth-child(5)`, "#ns"]);
    return;
  }
  assert.equal(await unreachable(page, `${links}:nth-child(1)`), `${links}:nth-child(1): not shown`, where);
  assert.equal(await unreachable(page, "#ns"), "#ns: not shown", where);
  await assertReachable(page, where, ["button.menu-toggle[aria-expanded=false]", "[data-user]"]);
  await page.click("button.menu-toggle");
  await page.waitForSelector("button.menu-toggle[aria-expanded=true]");
  const all = Array.from({ length: count }, (_, i) => `${links}:nth-child(${i + 1})`);
  await assertReachable(page, `${where} (menu open)`, [...all, "#ns"]);
  assert.ok((await overflow(page)) <= 0, `${where}: the open menu fits`);
  assert.deepEqual(await seriousViolations(page), [], `${where} (menu open)`);
  await page.click("button.menu-toggle");
  await page.waitForSelector("button.menu-toggle[aria-expanded=false]");
}

/** Opens the confirmation behind `selector`, checks its buttons are reachable, and cancels. */
async function checkConfirmation(page: Page, where: string, selector: string) {
  await page.click(selector);
  const dialog = await page.waitForSelector("[role=alertdialog]");
  await assertReachable(page, `${where} (confirming)`, ["[role=alertdialog] button.confirm-yes"]);
  assert.ok((await overflow(page)) <= 0, `${where}: the confirmation fits`);
  const cancel = await dialog!.waitForSelector("button:not(.confirm-yes)");
  await cancel!.click();
  await page.waitForSelector("[role=alertdialog]", { hidden: true });
}

for (const size of SIZES) {
  test(`every screen at ${size.viewport.width}x${size.viewport.height}: no sideways scrolling, main actions reachable`, async (t) => {
    const b = await browserFor(t);
    if (!b) return;
    const { ctx, page } = await signIn(b, ui!.url, ui!.tokens.admin, `/ui/ns/${NS}/pipeline`, pageErrors);
    await page.setViewport(size.viewport);
    for (const screen of SCREENS) {
      const where = `${screen.name} (${size.name})`;
      await page.goto(`${ui!.url}/ui/ns/${NS}/${screen.path}`);
      await page.waitForSelector(screen.ready);
      const wide = await overflow(page);
      assert.ok(wide <= 0, `${where}: the document is ${wide}px wider than the window`);
      await checkNavigation(page, where, size.name === "phone");
      for (const sel of screen.fits ?? []) assert.ok((await sideways(page, sel)) <= 0, `${where}: ${sel} fits`);
      await assertReachable(page, where, screen.actions);
      for (const c of screen.confirms ?? []) await checkConfirmation(page, where, c);
      assert.deepEqual(await seriousViolations(page), [], where);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, `${screen.name}-${size.name}.png`), fullPage: true });
    }
    await ctx.close();
    assert.deepEqual(
      pageErrors.flatMap((p) => p.errors),
      [],
    );
  });
}
