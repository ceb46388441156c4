// The examples' promotion path walked from the browser alone, in real headless Chromium against a
// real server with the controllers running and the local estate deploying (walk-env.ts). alice
// promotes shop-1-4-0 into dev and then into staging from the pipeline screen; bob, in a second
// browser context, finds the staging promotion on his pipeline and approves it, while alice's own
// buttons stay disabled (separation of duties); alice's page follows the approval live, leads to the
// deployment it created and its progress, and then to the approval's evidence, verified in the
// browser. The test itself only sets up the examples and reads results back through the API.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { estateSkipReason } from "../estate/estate-env.ts";
import { as } from "../approvals/approval-env.ts";
import { collection } from "../fixtures.ts";
import { launch, requireChromium, signIn, textOf, type PageErrors } from "./browser.ts";
import { startWalkEnv, type WalkEnv } from "./walk-env.ts";

const SHOTS = process.env.STELLA_UI_SCREENSHOTS ?? join(tmpdir(), "stella-ui-screenshots");
/** How long a step of the real estate may take (pulling, starting, health checks, soak). */
const STEP_MS = 180_000;
const skip = await estateSkipReason();
let walk: WalkEnv | undefined;
let browser: Browser | undefined;
const pageErrors: PageErrors[] = [];

before(async () => {
  if (skip) return;
  walk = await startWalkEnv();
  await mkdir(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await walk?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** Promotes the release chosen in `env`'s card by clicks, and follows the link to the promotion it created. */
async function promoteFromPipeline(page: Page, env: string, release: string, reason: string): Promise<string> {
  const card = `[data-env=${env}]`;
  await page.waitForSelector(`${card} button[data-promote=${env}]:not([disabled])`);
  await page.select(`#promote-release-${env}`, release);
  await page.click(`${card} button[data-promote=${env}]`);
  await page.waitForSelector(`${card} [role=alertdialog]`);
  await page.type(`#promote-reason-${env}`, reason);
  await page.click(`${card} [role=alertdialog] button.confirm-yes`);
  const link = await page.waitForSelector(`${card} .promote-result a`);
  const name = await link!.evaluate((a) => a.textContent ?? "");
  await link!.click();
  await page.waitForFunction((n) => location.pathname.endsWith(`/promotions/${n}`), {}, name);
  return name;
}

/** The server's own reason for refusing the holder of `token` to promote `release` into `env` (a dry run of it). */
async function refusalFor(token: string, env: string, release: string): Promise<string> {
  const res = await walk!.env.request(
    "POST",
    `/apis/release.stella.io/v1alpha1/namespaces/${walk!.namespace}/promotions?dryRun=All`,
    {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Promotion",
      metadata: { generateName: `${release}-to-${env}-`, namespace: walk!.namespace },
      spec: { release, environment: env },
    },
    as(token),
  );
  assert.equal(res.status, 403, res.text);
  return res.body.message as string;
}

/** The stored object `name` of `plural`, read back through the API as admin. */
async function stored(plural: string, name: string) {
  const res = await walk!.env.request("GET", `${collection(plural, walk!.namespace)}/${name}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/**
 * Waits for the page to show `kind/name` Succeeded; when it does not within the step, fails with
 * what the server holds, so a slow rollout and a page that missed its update tell apart in the log.
 */
async function shownSucceeded(page: Page, plural: string, name: string): Promise<void> {
  try {
    await page.waitForSelector("section[data-phase=Succeeded]");
  } catch (err) {
    const res = await walk!.env.request("GET", `${collection(plural, walk!.namespace)}/${name}`);
    const status = res.body?.status ?? {};
    const targets = (status.targets ?? []).map((t: { name: string; phase?: string; message?: string }) =>
      [t.name, t.phase, t.message].join(" "),
    );
    const why = `${plural}/${name} on the server: ${status.phase} (${status.message}); targets: ${targets.join("; ")}`;
    throw new Error(`the page did not show Succeeded: ${why}`, { cause: err });
  }
}

test(
  "a user walks shop-1-4-0 from the pipeline to staging by clicks; an approver approves; the evidence verifies",
  { skip },
  async (t) => {
    const path = requireChromium(t);
    if (!path) return;
    browser = await launch(path, walk!.env.server.pki.serverCertPem);
    const ns = walk!.namespace;
    const alice = await signIn(browser, walk!.url, walk!.tokens.alice, `/ui/ns/${ns}/pipeline`, pageErrors);
    alice.page.setDefaultTimeout(STEP_MS);
    // Refusals the page asks for are expected (a dry run answered 403); these are not: an icon the
    // page does not name, and decisions asked of a promotion not awaiting one (409). A promotion
    // passes through AwaitingApproval on its way to its approval gate, so one decision asked then
    // may meet it already moved on; asking again on every status change is what must not happen.
    const needless: string[] = [];
    const conflicts = new Map<string, number>();
    alice.page.on("response", (r) => {
      const path = new URL(r.url()).pathname;
      if (path === "/favicon.ico") needless.push(`${r.status()} ${r.request().method()} ${path}`);
      if (r.status() === 409) conflicts.set(path, (conflicts.get(path) ?? 0) + 1);
    });
    try {
      // dev takes releases without approval: the promotion deploys at once and succeeds.
      const toDev = await promoteFromPipeline(alice.page, "dev", "shop-1-4-0", "first deploy");
      await shownSucceeded(alice.page, "promotions", toDev);
      await alice.page.click("#screens-nav a[href$='/pipeline']");
      await alice.page.waitForFunction(() =>
        /shop-1-4-0/.test(document.querySelector("[data-env=dev] .current")?.textContent ?? ""),
      );
      await shot(alice.page, "walk-pipeline");

      // staging: one approval by someone other than the requester.
      const toStaging = await promoteFromPipeline(alice.page, "staging", "shop-1-4-0", "weekly release 1.4.0");
      await alice.page.waitForSelector("section[data-phase=AwaitingApproval]");
      await alice.page.waitForSelector("#refusal");
      assert.match(await textOf(alice.page, "#refusal"), /separation of duties/);
      assert.equal(await alice.page.$eval("button.approve", (e) => (e as HTMLButtonElement).disabled), true);
      await alice.page.evaluate(() => Object.assign(window, { notReloaded: true }));
      await shot(alice.page, "walk-promotion-awaiting");

      const bob = await signIn(browser, walk!.url, walk!.tokens.bob, `/ui/ns/${ns}/pipeline`, pageErrors);
      bob.page.setDefaultTimeout(STEP_MS);
      // bob is an approver, not an operator: his Promote buttons carry the server's refusal.
      await bob.page.waitForSelector("#promote-refusal-staging");
      assert.equal(
        await textOf(bob.page, "#promote-refusal-staging"),
        await refusalFor(walk!.tokens.bob, "staging", "shop-1-4-0"),
      );
      assert.equal(
        await bob.page.$eval("button[data-promote=staging]", (e) => (e as HTMLButtonElement).disabled),
        true,
      );
      const waiting = await bob.page.waitForSelector(`[data-env=staging] .waiting a[href$="/promotions/${toStaging}"]`);
      await waiting!.click();
      await bob.page.waitForSelector("button.approve:not([disabled])");
      await bob.page.type("#comment", "dev looks good");
      await bob.page.click("button.approve");
      assert.match(await textOf(bob.page, "[role=status].result"), new RegExp(`^Approved ${toStaging}\\.$`));
      await bob.page.waitForSelector("[data-approver=bob]");
      await shot(bob.page, "walk-approved");
      await bob.ctx.close();

      // alice's page follows: bob's approval, then the deployment the promotion created.
      await alice.page.waitForSelector("[data-approver=bob]");
      const deploymentLink = await alice.page.waitForSelector("dl.facts a[href*='/deployments/']");
      const deployment = await deploymentLink!.evaluate((a) => a.textContent ?? "");
      await deploymentLink!.click();
      await alice.page.waitForFunction((n) => location.pathname.endsWith(`/deployments/${n}`), {}, deployment);
      await alice.page.waitForSelector("[data-target=staging-compose]");
      await shownSucceeded(alice.page, "deployments", deployment);
      assert.match(await textOf(alice.page, ".progress"), /1\/1 healthy/);
      assert.match(await textOf(alice.page, "[data-target=staging-compose]"), /web:\s*Healthy/);
      await shot(alice.page, "walk-deployment");

      // Back to the promotion, and from it to the approval's evidence, verified in this browser.
      await alice.page.goBack();
      await shownSucceeded(alice.page, "promotions", toStaging);
      const evidenceLink = await alice.page.waitForSelector("section[aria-labelledby=evidence] a[href*='-approval-']");
      const packet = (await evidenceLink!.evaluate((a) => a.textContent ?? "")).trim();
      await evidenceLink!.click();
      await alice.page.waitForSelector(`[data-packet="${packet}"][data-ok=true]`);
      assert.match(await textOf(alice.page, ".chain-verdict"), /^All \d+ packets verify\.$/);
      assert.equal(await alice.page.$eval("tr[aria-current=true]", (e) => e.getAttribute("data-packet")), packet);
      assert.match(await textOf(alice.page, `[data-packet="${packet}"]`), /Approved.*bob/s);
      assert.equal(await alice.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
      await shot(alice.page, "walk-evidence");

      // What the clicks did, read back through the API.
      const staging = await stored("promotions", toStaging);
      assert.equal(staging.status.phase, "Succeeded", staging.status.message);
      assert.equal(staging.spec.requestedBy.username, "alice");
      assert.equal(staging.spec.reason, "weekly release 1.4.0");
      assert.deepEqual(
        staging.status.approvals.map((a: { user: { username: string }; decision: string; comment?: string }) => [
          a.user.username,
          a.decision,
          a.comment,
        ]),
        [["bob", "Approved", "dev looks good"]],
      );
      assert.equal(staging.status.deployment, deployment);
      const d = await stored("deployments", deployment);
      assert.deepEqual([d.spec.release, d.spec.environment, d.status.phase], ["shop-1-4-0", "staging", "Succeeded"]);
      assert.equal((await stored("promotions", toDev)).status.phase, "Succeeded");
      const approval = await stored("evidencepackets", packet);
      assert.equal(approval.spec.actor.username, "bob");
      assert.deepEqual(
        pageErrors.flatMap((p) => p.errors),
        [],
      );
      assert.deepEqual(needless, [], "no request for an icon the page does not name");
      for (const [path, n] of conflicts) assert.ok(n <= 1, `${n} conflicts from ${path}`);
    } catch (err) {
      await shot(alice.page, "walk-failure").catch(() => undefined);
      console.error(
        walk!.logs
          .filter((l) => l.includes('"error"'))
          .slice(-20)
          .join("\n"),
      );
      throw err;
    } finally {
      await alice.ctx.close();
    }
  },
);
