// The dashboard's rollback, freeze windows, pipeline graph and canary screen in real headless
// Chromium against a real server (the estate of ui-env.ts, plus what each test adds). As in
// dashboard.test.ts, no controllers run: the tests write status as a controller would.
import { after, before, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { resolvedRelease } from "../approvals/approval-env.ts";
import { createPacket } from "../evidence/packets.ts";
import { collection, environment } from "../fixtures.ts";
import { seriousViolations } from "./axe.ts";
import { launch, requireChromium, signIn, textOf, type PageErrors } from "./browser.ts";
import { as, createCanary, mergePatch, must, NAMES, NS, startUiEnv, type UiEnv } from "./ui-env.ts";

const SHOTS = process.env.STELLA_UI_SCREENSHOTS ?? join(tmpdir(), "stella-ui-screenshots");
const HOUR = 3_600_000;
const CANARY = "shop-web-1-4-0";
let ui: UiEnv | undefined;
let browser: Browser | undefined;
const pageErrors: PageErrors[] = [];
/** When the seeded freeze windows start: prod's opened an hour ago, staging's opens in two hours. */
const seededAt = new Date(Math.floor(Date.now() / 1000) * 1000);
const prodFreezeStart = new Date(seededAt.getTime() - HOUR);
const stagingFreezeStart = new Date(seededAt.getTime() + 2 * HOUR);

before(async () => {
  ui = await startUiEnv();
  await mkdir(SHOTS, { recursive: true });
  const env = ui.env;
  await resolvedRelease(env, "shop-1-3-0");
  await mergePatch(env, `${collection("environments", NS)}/dev/status`, {
    status: {
      current: { release: NAMES.release, deployment: NAMES.deployment },
      previous: { release: "shop-1-3-0" },
    },
  });
  const freeze = (name: string, start: Date, duration: string, reason: string) => ({
    spec: { freezeWindows: [{ name, rrule: "FREQ=DAILY", start: start.toISOString(), duration, reason }] },
  });
  await mergePatch(
    env,
    `${collection("environments", NS)}/prod`,
    freeze("release-day", prodFreezeStart, "2h", "quarter close"),
  );
  await mergePatch(
    env,
    `${collection("environments", NS)}/staging`,
    freeze("nightly", stagingFreezeStart, "30m", "backups"),
  );
  await createCanary(env, CANARY);
});
after(async () => {
  await browser?.close();
  await ui?.stop();
});

async function browserFor(t: TestContext): Promise<Browser | undefined> {
  const path = requireChromium(t);
  if (!path) return undefined;
  browser ??= await launch(path, ui!.env.server.pki.serverCertPem);
  return browser;
}

const signedIn = (b: Browser, token: string, path: string) => signIn(b, ui!.url, token, path, pageErrors);
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const attr = (page: Page, selector: string, name: string) => page.$eval(selector, (e, n) => e.getAttribute(n), name);

/** The rollback Deployments of dev, as stored. */
async function rollbacks(): Promise<{ metadata: { name: string }; spec: Record<string, unknown> }[]> {
  const list = await ui!.env.request("GET", collection("deployments", NS));
  return list.body.items.filter((d: { spec: { rollback?: boolean } }) => d.spec.rollback);
}

test("rollback asks for confirmation, then creates the same rollback Deployment as stella rollback", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.alice, `/ui/ns/${NS}/deployments/${NAMES.deployment}`);
  // Enabled only once the server's dry run of the same request said yes.
  await page.waitForSelector("button.rollback-start:not([disabled])");
  assert.match(await textOf(page, "button.rollback-start"), /Roll back dev to shop-1-3-0/);
  await page.click("button.rollback-start");
  await page.waitForSelector("[role=alertdialog][aria-labelledby=rollback-title]");
  assert.match(await textOf(page, "#rollback-title"), /creates a Deployment of shop-1-3-0 into dev/);
  assert.deepEqual(await rollbacks(), [], "nothing is created before confirmation (the dry run stores nothing)");
  await shot(page, "deployment-rollback");
  await page.click("[aria-labelledby=rollback-title] button.confirm-yes");
  const link = await page.waitForSelector(".rollback-result a");
  const created = await link!.evaluate((a) => a.textContent ?? "");
  const stored = await rollbacks();
  assert.deepEqual(
    stored.map((d) => [d.metadata.name, d.spec.release, d.spec.environment]),
    [[created, "shop-1-3-0", "dev"]],
  );
  assert.match(created, /^dev-rollback-[a-z0-9]{5}$/);
  await link!.click();
  await page.waitForFunction((n) => location.pathname.endsWith(`/deployments/${n}`), {}, created);
  await page.waitForFunction((n) => document.querySelector("h1")?.textContent?.includes(n), {}, created);
  await ctx.close();
});

test("a viewer's rollback button is disabled with the server's own refusal", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.viewer, `/ui/ns/${NS}/deployments/${NAMES.deployment}`);
  await page.waitForSelector("#rollback-refusal");
  const server = await ui!.env.request(
    "POST",
    `${collection("deployments", NS)}?dryRun=All`,
    {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Deployment",
      metadata: { generateName: "dev-rollback-", namespace: NS },
      spec: { release: "shop-1-3-0", environment: "dev", rollback: true },
    },
    as(ui!.tokens.viewer),
  );
  assert.equal(server.status, 403);
  assert.equal(await textOf(page, "#rollback-refusal"), server.body.message);
  assert.equal(await page.$eval("button.rollback-start", (e) => (e as HTMLButtonElement).disabled), true);
  await ctx.close();
});

test("where promotions are required, rollback creates the rollback Promotion of stella rollback --promote, with its reason", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const env = ui!.env;
  const deployment = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name: "shop-1-4-0-prod", namespace: NS },
    spec: { release: NAMES.release, environment: "prod" },
  };
  await must(env.request("POST", collection("deployments", NS), deployment), 201);
  await mergePatch(env, `${collection("environments", NS)}/prod/status`, {
    status: { current: { release: NAMES.release }, previous: { release: "shop-1-3-0" } },
  });
  await mergePatch(env, `${collection("environments", NS)}/prod`, { spec: { promotion: { required: true } } });
  const { ctx, page } = await signedIn(b, ui!.tokens.alice, `/ui/ns/${NS}/deployments/shop-1-4-0-prod`);
  await page.waitForSelector("button.rollback-start:not([disabled])");
  await page.click("button.rollback-start");
  assert.match(await textOf(page, "#rollback-title"), /creates a rollback Promotion/);
  await page.type("#rollback-reason", "1.4.0 doubles checkout latency");
  await page.click("[aria-labelledby=rollback-title] button.confirm-yes");
  const created = await textOf(page, ".rollback-result a");
  const stored = await env.request("GET", `${collection("promotions", NS)}/${created}`);
  assert.equal(stored.status, 200);
  assert.deepEqual(
    [stored.body.spec.release, stored.body.spec.environment, stored.body.spec.rollback, stored.body.spec.reason],
    ["shop-1-3-0", "prod", true, "1.4.0 doubles checkout latency"],
  );
  assert.match(created, /^prod-rollback-[a-z0-9]{5}$/);
  await mergePatch(env, `${collection("environments", NS)}/prod`, { spec: { promotion: null } });
  await ctx.close();
});

test("each environment shows its freeze now or next, as the freeze gate evaluates it, and follows spec changes", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.viewer, `/ui/ns/${NS}/pipeline`);
  await page.waitForSelector("[data-env=prod] [data-frozen=true]");
  assert.match(await textOf(page, "[data-env=prod] .freeze"), /Frozen now by "release-day" until .*quarter close/s);
  // Daily from an hour ago for 2h: open until an hour from the seeding; the next daily start is tomorrow.
  const until = new Date(prodFreezeStart.getTime() + 2 * HOUR).toISOString();
  assert.equal(await attr(page, "[data-env=prod] .freeze time", "datetime"), until);
  assert.match(await textOf(page, "[data-env=staging] [data-frozen=false]"), /Not frozen now\. Next freeze "nightly"/);
  const [start, end] = await page.$$eval("[data-env=staging] .next-freeze time", (ts) =>
    ts.map((e) => e.getAttribute("datetime")),
  );
  assert.deepEqual(
    [start, end],
    [stagingFreezeStart.toISOString(), new Date(stagingFreezeStart.getTime() + HOUR / 2).toISOString()],
  );
  assert.equal(await page.$("[data-env=dev] .freeze"), null, "no freeze windows, no freeze line");
  await shot(page, "pipeline-freeze");
  await mergePatch(ui!.env, `${collection("environments", NS)}/prod`, { spec: { freezeWindows: null } });
  await page.waitForFunction(() => !document.querySelector("[data-env=prod] .freeze"));
  await ctx.close();
});

test("the pipeline graph draws an edge per upstream, moves focus node to node, and grows live", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.viewer, `/ui/ns/${NS}/pipeline`);
  await page.waitForSelector("[data-node=prod]");
  const edges = () => page.$$eval("[data-edge]", (es) => es.map((e) => e.getAttribute("data-edge")).sort());
  assert.deepEqual(await edges(), ["dev->staging", "staging->prod"]);
  const left = await page.$$eval("[data-node] rect", (rs) =>
    Object.fromEntries(rs.map((r) => [r.parentElement!.getAttribute("data-node"), r.getBoundingClientRect().left])),
  );
  assert.ok(left.dev < left.staging && left.staging < left.prod, JSON.stringify(left));
  // The text equivalent names each environment's place in the pipeline.
  assert.match(await textOf(page, "#graph-list"), /staging: after dev;.*prod: after staging;/s);
  // Keyboard: Tab reaches the nodes in order; Enter follows a node to its card.
  await page.$eval("[data-node=dev]", (a) => (a as SVGAElement).focus());
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-node")), "staging");
  const described = await attr(page, "[data-node=staging]", "aria-describedby");
  assert.match(await textOf(page, `#${described}`), /^staging: after dev; .*runs no release/);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#env-staging");
  const qa = environment("qa", NS);
  Object.assign(qa.spec, { upstream: ["dev"] });
  await must(ui!.env.request("POST", collection("environments", NS), qa), 201);
  await page.waitForSelector("[data-edge='dev->qa']");
  assert.deepEqual(await edges(), ["dev->qa", "dev->staging", "staging->prod"]);
  await shot(page, "pipeline-graph");
  await ctx.close();
});

test("the canary screen charts the stored status and evidence live (a status written as the controller would)", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const env = ui!.env;
  const started = Date.now() - 10 * 60_000;
  const iso = (minutes: number) => new Date(started + minutes * 60_000).toISOString();
  // What the canary controller records for a weight the router confirmed: a CanaryDecision packet.
  const weightSet = (step: number, minutes: number) =>
    createPacket(env, NS, `canary-${CANARY}-${step}-setweight`, {
      type: "CanaryDecision",
      subject: { apiVersion: "release.stella.io/v1alpha1", kind: "Canary", name: CANARY },
      environment: "prod",
      decision: { outcome: "WeightSet", reason: "SetWeight", message: "read back from the router" },
      actor: { username: "system:controller:canary" },
      decidedAt: iso(minutes),
      details: { component: "web", step },
    });
  await weightSet(0, 1);
  const status = (s: Record<string, unknown>) =>
    mergePatch(env, `${collection("canaries", NS)}/${CANARY}/status`, { status: s });
  // The stored status only: nothing runs this canary; the test plays the controller's part.
  await status({
    phase: "Paused",
    startedAt: iso(0),
    currentStepIndex: 1,
    currentWeight: 10,
    message: "paused until promoted",
  });

  const { ctx, page } = await signedIn(b, ui!.tokens.viewer, `/ui/ns/${NS}/canaries`);
  await page.evaluate(() => {
    const seen: string[] = [];
    Object.assign(window, { cspViolations: seen });
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  assert.match(await textOf(page, `[data-canary=${CANARY}]`), /2 of 4.*10%.*Paused/s);
  await page.click(`[data-canary=${CANARY}] a`);
  await page.waitForSelector("[data-step='1'][aria-current=step]");
  assert.match(await textOf(page, "[aria-current=step]"), /Pause until promoted/);
  assert.equal(await attr(page, "[data-step='0']", "data-state"), "done");
  await page.waitForSelector("[data-chart=weight] canvas");
  const values = (chart: string) =>
    page.$$eval(`[data-chart=${chart}] tbody tr`, (rs) => rs.map((r) => Number(r.getAttribute("data-value"))));
  assert.deepEqual(await values("weight"), [0, 10, 10]);

  await weightSet(2, 5);
  await status({
    phase: "Progressing",
    currentStepIndex: 3,
    currentWeight: 50,
    message: "analysis running",
    analysisRuns: [
      {
        step: 3,
        phase: "Running",
        startedAt: iso(6),
        metrics: [
          {
            name: "error-rate",
            phase: "Running",
            successful: 2,
            measurements: [
              { phase: "Successful", value: "0.004", finishedAt: iso(7) },
              { phase: "Successful", value: "0.002", finishedAt: iso(8) },
            ],
          },
        ],
      },
    ],
  });
  await page.waitForSelector("[data-step='3'][aria-current=step]");
  await page.waitForSelector("[data-chart=metric-error-rate] canvas");
  assert.deepEqual(await values("weight"), [0, 10, 50, 50]);
  assert.deepEqual(await values("metric-error-rate"), [0.004, 0.002]);
  assert.equal(await textOf(page, ".current-weight"), "50%");
  assert.deepEqual(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), []);
  await shot(page, "canary");
  await ctx.close();
});

test("axe-core finds no serious violations on the new screens and states, in both themes", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.alice, `/ui/ns/${NS}/pipeline`);
  const screens: [string, string, (() => Promise<unknown>)?][] = [
    ["pipeline", "[data-node=staging] rect"],
    ["canaries", `[data-canary=${CANARY}]`],
    [`canaries/${CANARY}`, "[data-chart=weight] canvas"],
    [`deployments/${NAMES.deployment}`, "button.rollback-start", () => page.click("button.rollback-start")],
  ];
  for (const theme of ["light", "dark"]) {
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: theme }]);
    for (const [screen, ready, then] of screens) {
      await page.goto(`${ui!.url}/ui/ns/${NS}/${screen}`);
      await page.waitForSelector(ready);
      await then?.();
      const serious = await seriousViolations(page);
      assert.deepEqual(serious, [], `${screen} (${theme})`);
    }
  }
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  await page.goto(`${ui!.url}/ui/ns/${NS}/canaries/${CANARY}`);
  await page.waitForSelector("[data-chart=weight] canvas");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px too wide)`);
  await shot(page, "canary-phone-dark");
  await ctx.close();
  assert.deepEqual(
    pageErrors.flatMap((p) => p.errors),
    [],
  );
});
