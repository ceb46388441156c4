// The dashboard end to end in real headless Chromium against a real server: sign-in (token and
// one-time link), each screen on real objects, live updates through watches, approvals under
// separation of duties, read-only users, text-only rendering and the Content-Security-Policy.
import { after, before, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "puppeteer-core";
import { createPacket, tamperStored } from "../evidence/packets.ts";
import { collection } from "../fixtures.ts";
import { seriousViolations } from "./axe.ts";
import { collectErrors, launch, requireChromium, signIn, textOf, type PageErrors } from "./browser.ts";
import { HOSTILE, mergePatch, NAMES, NS, startUiEnv, type UiEnv } from "./ui-env.ts";

const SHOTS = process.env.STELLA_UI_SCREENSHOTS ?? join(tmpdir(), "stella-ui-screenshots");
let ui: UiEnv | undefined;
let browser: Browser | undefined;
const pageErrors: PageErrors[] = [];

before(async () => {
  ui = await startUiEnv();
  await mkdir(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await ui?.stop();
});

/** The browser, launched on first use (or a skip/failure when chromium is missing). */
async function browserFor(t: TestContext): Promise<Browser | undefined> {
  const path = requireChromium(t);
  if (!path) return undefined;
  browser ??= await launch(path, ui!.env.server.pki.serverCertPem);
  return browser;
}

/** A fresh browser context (another person) with one page, signed in by `token`. */
const signedIn = (b: Browser, token: string, path: string) => signIn(b, ui!.url, token, path, pageErrors);

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test("serves the dashboard with a Content-Security-Policy that forbids inline scripts", async () => {
  const res = await ui!.env.request("GET", "/ui/ns/shop/pipeline");
  assert.equal(res.status, 200);
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(res.text, /<script type="module" src="\/ui\/app.js"><\/script>/);
  assert.doesNotMatch(res.text, /<script>[^<]/);
});

test("signs in with a token; the pipeline shows dev -> staging -> prod with releases and waiting promotions", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.alice, `/ui/ns/${NS}/pipeline`);
  await page.waitForSelector("[data-env=prod]");
  const order = await page.$$eval("[data-env]", (els) =>
    els.map((e) => ({ env: e.getAttribute("data-env"), x: e.getBoundingClientRect().left })),
  );
  const x = Object.fromEntries(order.map((o) => [o.env, o.x]));
  assert.ok(x.dev < x.staging && x.staging < x.prod, `columns left to right: ${JSON.stringify(order)}`);
  assert.match(await textOf(page, "[data-env=staging] .waiting"), new RegExp(NAMES.promotion));
  assert.match(await textOf(page, "[data-env=dev] .targets"), /1\/1 ready/);
  assert.equal(await textOf(page, "[data-user]"), "alice");
  await shot(page, "pipeline");
  await ctx.close();
});

test("bob approves from the page; alice's page updates live, and her own buttons are disabled (separation of duties)", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const path = `/ui/ns/${NS}/promotions/${NAMES.promotion}`;
  const alice = await signedIn(b, ui!.tokens.alice, path);
  const bob = await signedIn(b, ui!.tokens.bob, path);
  // The author may not approve: the server's own reason, from a dry run of the same request.
  await alice.page.waitForSelector("#refusal");
  assert.match(await textOf(alice.page, "#refusal"), /separation of duties|requested|author/i);
  assert.equal(await alice.page.$eval("button.approve", (e) => (e as HTMLButtonElement).disabled), true);
  assert.match(await textOf(alice.page, "[data-gate=upstream]"), /succeeded in dev/);
  await alice.page.evaluate(() => Object.assign(window, { notReloaded: true }));
  await shot(alice.page, "promotion-author");
  await bob.page.waitForSelector("button.approve:not([disabled])");
  await bob.page.type("#comment", "looks good");
  await bob.page.click("button.approve");
  await bob.page.waitForSelector("[role=status].result");
  await alice.page.waitForSelector("[data-approver=bob]");
  assert.match(await textOf(alice.page, "[data-approver=bob]"), /Approved by bob.*looks good/s);
  assert.equal(await alice.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
  const stored = await ui!.env.request("GET", `${collection("promotions", NS)}/${NAMES.promotion}`);
  assert.deepEqual(
    stored.body.status.approvals.map((a: { user: { username: string }; decision: string }) => [
      a.user.username,
      a.decision,
    ]),
    [["bob", "Approved"]],
  );
  await shot(bob.page, "promotion-approved");
  await alice.ctx.close();
  await bob.ctx.close();
});

test("a viewer sees the decision disabled with the server's reason and no deployment controls", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  await mergePatch(ui!.env, `${collection("promotions", NS)}/${NAMES.promotion}/status`, { status: { approvals: [] } });
  const { ctx, page } = await signedIn(b, ui!.tokens.viewer, `/ui/ns/${NS}/promotions/${NAMES.promotion}`);
  await page.waitForSelector("#refusal");
  assert.match(await textOf(page, "#refusal"), /approver/);
  assert.equal(await page.$eval("button.reject", (e) => (e as HTMLButtonElement).disabled), true);
  await page.goto(`${ui!.url}/ui/ns/${NS}/deployments/${NAMES.deployment}`);
  await page.waitForSelector(".read-only");
  assert.equal((await page.$$("[data-action]")).length, 0);
  await ctx.close();
});

test("a deployment's progress moves live, and pause asks for confirmation before it patches", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.alice, `/ui/ns/${NS}/deployments/${NAMES.deployment}`);
  assert.match(await textOf(page, ".progress"), /0\/1 healthy/);
  await mergePatch(ui!.env, `${collection("deployments", NS)}/${NAMES.deployment}/status`, {
    status: {
      healthyTargets: 1,
      targets: [
        { name: "dev-docker", phase: "Succeeded", units: [{ component: "web", healthy: true, message: "200 OK" }] },
      ],
    },
  });
  await page.waitForFunction(() => /1\/1 healthy/.test(document.querySelector(".progress")?.textContent ?? ""));
  assert.match(await textOf(page, "[data-target=dev-docker]"), /Healthy.*200 OK/s);
  await page.click("[data-action=pause]");
  await page.waitForSelector("[role=alertdialog]");
  const before = await ui!.env.request("GET", `${collection("deployments", NS)}/${NAMES.deployment}`);
  assert.equal(before.body.spec.paused, undefined, "nothing is sent before confirmation");
  await shot(page, "deployment");
  await page.click("button.confirm-yes");
  await page.waitForSelector("[data-action=resume]");
  const afterPause = await ui!.env.request("GET", `${collection("deployments", NS)}/${NAMES.deployment}`);
  assert.equal(afterPause.body.spec.paused, true);
  await ctx.close();
});

test("after the server cuts its watches the page resumes from the last resourceVersion, without a relist", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.viewer, `/ui/ns/${NS}/deployments/${NAMES.deployment}`);
  await page.waitForSelector("[data-target=dev-docker]");
  // A change made after the page rendered reaches it only through its watch: once it shows, the
  // watch is open on the server, so the cut below has something to cut.
  await mergePatch(ui!.env, `${collection("deployments", NS)}/${NAMES.deployment}/status`, {
    status: { message: "batch 1 of 2" },
  });
  await page.waitForFunction(() => /batch 1 of 2/.test(document.querySelector(".message")?.textContent ?? ""));
  const requests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/deployments?")) requests.push(r.url());
  });
  // What a shutdown does to every open watch (ApiServer keeps its WatchSet private).
  (ui!.env.server as unknown as { watches: { endAll(): void } }).watches.endAll();
  await page.waitForFunction(
    (n) => performance.getEntriesByType("resource").filter((e) => e.name.includes("watch=true")).length > n,
    {},
    await page.evaluate(
      () => performance.getEntriesByType("resource").filter((e) => e.name.includes("watch=true")).length,
    ),
  );
  await mergePatch(ui!.env, `${collection("deployments", NS)}/${NAMES.deployment}/status`, {
    status: { message: "batch 2 of 2" },
  });
  await page.waitForFunction(() => /batch 2 of 2/.test(document.querySelector(".message")?.textContent ?? ""));
  assert.ok(requests.length > 0, "the page watched again");
  for (const url of requests) {
    const q = new URL(url).searchParams;
    assert.equal(q.get("watch"), "true", `no relist after a clean cut: ${url}`);
    assert.match(q.get("resourceVersion") ?? "", /^\d+$/, `resumed from a resourceVersion: ${url}`);
  }
  await ctx.close();
});

test("a release's hostile annotation renders as text, never as HTML", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.viewer, `/ui/ns/${NS}/releases/${NAMES.release}`);
  assert.ok((await textOf(page, ".annotations")).includes(HOSTILE));
  assert.equal((await page.$$(".annotations img")).length, 0);
  await shot(page, "release");
  await ctx.close();
});

test("the sign-in link of stella dashboard works once, leaves no code in the URL, and no token in logs or audit", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const dir = await mkdtemp(join(tmpdir(), "stella-ui-kubeconfig-"));
  const kubeconfig = join(dir, "bob.kubeconfig");
  const ca = join(dir, "ca.crt");
  await writeFile(ca, ui!.env.server.pki.caCertPem);
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: ui!.url, "certificate-authority": ca } }],
      users: [{ name: "bob", user: { token: ui!.tokens.bob } }],
      contexts: [{ name: "c", context: { cluster: "c", user: "bob", namespace: NS } }],
      "current-context": "c",
    }),
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "cli/main.ts", "dashboard", "--kubeconfig", kubeconfig, "-n", NS],
    { cwd: new URL("../..", import.meta.url).pathname },
  );
  const link = stdout.trim();
  assert.match(link, new RegExp(`^${ui!.url}/ui/sign-in#code=[A-Za-z0-9_-]{43}`));
  const code = new URL(link).hash.match(/code=([^&]+)/)![1];

  const first = await b.createBrowserContext();
  const page = await first.newPage();
  pageErrors.push(collectErrors(page));
  await page.goto(link);
  await page.waitForFunction((p) => location.pathname === p, {}, `/ui/ns/${NS}/pipeline`);
  assert.equal(await textOf(page, "[data-user]"), "bob");
  assert.ok(!page.url().includes(code));

  const second = await b.createBrowserContext();
  const again = await second.newPage();
  await again.goto(link);
  assert.match(await textOf(again, "[role=alert]"), /used already or has expired/);
  assert.ok(!again.url().includes(code));

  const session = await page.evaluate(() => sessionStorage.getItem("stella.session") ?? "");
  const sessionToken = (JSON.parse(session) as { token: string }).token;
  const logText = ui!.log.join("");
  for (const secret of [code, sessionToken, ui!.tokens.bob, ui!.tokens.alice])
    assert.ok(!logText.includes(secret), "a token or code reached the server log");
  const audit = await ui!.env.request("GET", "/audit/v1/events?limit=500");
  assert.equal(audit.status, 200);
  for (const secret of [code, sessionToken])
    assert.ok(!audit.text.includes(secret), "a token or code reached the audit log");
  await first.close();
  await second.close();
});

test("a tampered evidence packet is marked broken in the browser; the rest of the chain verifies", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  await createPacket(ui!.env, NS, "approval-a");
  await createPacket(ui!.env, NS, "approval-b");
  const { ctx, page } = await signedIn(b, ui!.tokens.viewer, `/ui/ns/${NS}/evidence`);
  await page.waitForSelector("[data-packet=approval-b][data-ok=true]");
  await tamperStored(ui!.env, NS, "approval-b", (p) => (p.spec.decision.outcome = "Rejected"));
  await page.waitForSelector("[data-packet=approval-b][data-ok=false]");
  assert.match(await textOf(page, "[data-packet=approval-b]"), /Broken.*differs from what was signed/s);
  assert.equal(await page.$eval("[data-packet=approval-a]", (e) => e.getAttribute("data-ok")), "true");
  assert.match(await textOf(page, ".chain-verdict"), /1 of \d+ packets are broken/);
  await shot(page, "evidence-broken");
  await ctx.close();
});

test("axe-core finds no serious accessibility violations; the layout holds on a phone and in the dark theme", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.alice, `/ui/ns/${NS}/pipeline`);
  const screens = {
    pipeline: "[data-env=prod]",
    [`promotions/${NAMES.promotion}`]: ".approval-count",
    [`deployments/${NAMES.deployment}`]: "[data-target]",
    [`releases/${NAMES.release}`]: ".annotations",
    targets: "[data-target]",
    evidence: "[data-ok]",
  };
  for (const theme of ["light", "dark"]) {
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: theme }]);
    for (const [screen, ready] of Object.entries(screens)) {
      if (process.env.STELLA_UI_DEBUG) console.error(theme, screen, new Date().toISOString());
      await page.goto(`${ui!.url}/ui/ns/${NS}/${screen}`);
      await page.waitForSelector(ready);
      const serious = await seriousViolations(page);
      assert.deepEqual(serious, [], `${screen} (${theme})`);
    }
  }
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  await page.goto(`${ui!.url}/ui/ns/${NS}/pipeline`);
  await page.waitForSelector("[data-env=prod]");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px too wide)`);
  await shot(page, "pipeline-phone-dark");
  await ctx.close();
});

test("the audit screen filters by user and keeps the filter in its URL", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.admin, `/ui/ns/${NS}/audit`);
  await page.waitForSelector("[data-audit-user=alice]");
  await page.type("input[name=user]", "alice");
  await page.click(".filters button[type=submit]");
  await page.waitForFunction(() => location.search === "?user=alice");
  await page.waitForFunction(() => {
    const users = [...document.querySelectorAll("[data-audit-user]")].map((e) => e.getAttribute("data-audit-user"));
    return users.length > 0 && users.every((u) => u === "alice");
  });
  await shot(page, "audit");
  await ctx.close();
});

test("targets and evidence screens render; no console errors on any page", async (t) => {
  const b = await browserFor(t);
  if (!b) return;
  const { ctx, page } = await signedIn(b, ui!.tokens.alice, `/ui/ns/${NS}/targets`);
  await page.waitForSelector("[data-target=dev-docker]");
  await shot(page, "targets");
  await page.goto(`${ui!.url}/ui/ns/${NS}/evidence`);
  await page.waitForFunction(() => /verify|broken/.test(document.querySelector(".chain-verdict")?.textContent ?? ""));
  await shot(page, "evidence");
  await ctx.close();
  assert.deepEqual(
    pageErrors.flatMap((p) => p.errors),
    [],
  );
  await readFile(join(SHOTS, "pipeline.png"));
});
