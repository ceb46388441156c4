// The canary screen against a canary the real controllers drive: the canary controller starts the
// canary unit on the local Docker engine beside the stable one, walks the weights through a real
// haproxy (its runtime API), runs the error-rate analysis over haproxy's own counters, and waits at
// a pause for promotion. The page follows it live (steps, weight chart from the controller's sealed
// CanaryDecision packets, the analysis measurements); alice promotes from the page and the canary
// completes without a reload, while bob (a viewer) is offered no control at all.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { CANARY_FIELD_MANAGER } from "../../cli/commands/canary.ts";
import { canaryObject, frontStable, webComponent } from "../canary/canary-env.ts";
import { release, startDeployEnv, waitFor, type DeployEnv } from "../deploy/deploy-env.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import { launch, requireChromium, signIn, textOf, type PageErrors } from "./browser.ts";

const SHOTS = process.env.STELLA_UI_SCREENSHOTS ?? join(tmpdir(), "stella-ui-screenshots");
/** Host ports of this suite's units (no other suite assigns these). */
const PORTS = { from: 27900, to: 27999 };
const ENV = "canary-ui";
const CANARY = "web-live";
/** How long one move of the real canary may take on a busy CI machine. */
const STEP_MS = 120_000;

const skip = (await estateSkipReason()) ?? (await routerSkipReason("haproxy"));
let de: DeployEnv | undefined;
let front: Awaited<ReturnType<typeof frontStable>> | undefined;
let browser: Browser | undefined;
const pageErrors: PageErrors[] = [];

before(async () => {
  if (skip) return;
  await mkdir(SHOTS, { recursive: true });
  de = await startDeployEnv({ ports: PORTS, dashboard: true });
  await de.releases.create(release(de.namespace, "shop-1-5-0", [webComponent("1.5.0")]));
  front = await frontStable(de, ENV);
});
after(async () => {
  await browser?.close();
  await front?.stop();
  await de?.stop();
});

/** The values a chart's accessible table holds, in order. */
const values = (page: Page, chart: string) =>
  page.$$eval(`[data-chart=${chart}] tbody tr`, (rs) => rs.map((r) => Number(r.getAttribute("data-value"))));

test("the canary screen follows a canary the controllers run, and promotes it", { skip }, async (t) => {
  const chromium = requireChromium(t);
  if (!chromium || !de || !front) return;
  browser = await launch(chromium, de.env.server.pki.serverCertPem);
  const ns = de.namespace;
  const path = `/ui/ns/${ns}/canaries/${CANARY}`;
  const alice = await signIn(browser, de.env.server.url, await de.env.token("alice", "operator", ns), path, pageErrors);
  alice.page.setDefaultTimeout(STEP_MS);
  await alice.page.evaluate(() => Object.assign(window, { notReloaded: true }));

  // Opened before the canary exists: the page shows it as it appears and moves.
  const steps = [
    { setWeight: 20 },
    { analysis: { metrics: ["error-rate"] } },
    { setWeight: 50 },
    { pause: {} },
    { setWeight: 100 },
  ];
  const canaries = de.admin.resource<Canary>(canaryKind);
  await canaries.create(
    canaryObject(ns, CANARY, { release: "shop-1-5-0", environment: ENV, steps }, front.haproxy, front.metrics.url),
  );
  await alice.page.waitForSelector("section[data-phase=Paused] [data-step='3'][aria-current=step]");
  assert.match(await textOf(alice.page, "[aria-current=step]"), /Pause until promoted/);
  assert.equal(await textOf(alice.page, ".current-weight"), "50%");
  await alice.page.waitForFunction(
    () => document.querySelectorAll("[data-chart=weight] tbody tr[data-value='50']").length > 0,
  );
  const weights = await values(alice.page, "weight");
  assert.deepEqual(
    weights.filter((w, i) => w !== weights[i - 1]),
    [0, 20, 50],
    `the weights the controller set, in order: ${weights}`,
  );
  const stored = await canaries.get(CANARY);
  const measurements = stored.status?.analysisRuns?.[0]?.metrics?.[0]?.measurements ?? [];
  // A measurement with no value (no data yet: Inconclusive) has no point on the chart.
  const measured = measurements.filter((m) => m.value !== undefined && Number.isFinite(Number(m.value)));
  assert.ok(measured.length >= 2, `the analysis measured: ${JSON.stringify(measurements)}`);
  await alice.page.waitForSelector("[data-chart=metric-error-rate] canvas");
  assert.deepEqual(
    await values(alice.page, "metric-error-rate"),
    measured.map((m) => Number(m.value)),
    "the chart holds the controller's measurements",
  );
  await alice.page.screenshot({ path: join(SHOTS, "canary-live-paused.png"), fullPage: true });

  // bob may read, not decide: the page offers him no control, with the server's reason.
  const bob = await signIn(browser, de.env.server.url, await de.env.token("bob", "viewer", ns), path, pageErrors);
  bob.page.setDefaultTimeout(STEP_MS);
  assert.match(await textOf(bob.page, ".read-only"), /^Read-only: .*bob/);
  assert.equal(await bob.page.$("button[data-action]"), null);

  // alice: promote and abort fit a paused canary; retry does not.
  await alice.page.waitForSelector("button[data-action=promote]");
  const offered = await alice.page.$$eval("button[data-action]", (bs) => bs.map((b) => b.getAttribute("data-action")));
  assert.deepEqual(offered, ["promote", "promote-full", "abort"]);
  await alice.page.click("button[data-action=promote]");
  assert.match(await textOf(alice.page, "#confirm-title"), /leaves its pause/);
  await alice.page.click("[role=alertdialog] button.confirm-yes");
  assert.match(await textOf(alice.page, ".controls [role=status]"), /released from the pause at step 3/);
  await alice.page.waitForSelector("section[data-phase=Succeeded]");
  assert.equal(await textOf(alice.page, ".current-weight"), "100%");
  assert.equal(await alice.page.$("button[data-action=promote]"), null, "nothing to promote once it succeeded");
  assert.equal(await alice.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
  await bob.page.waitForSelector("section[data-phase=Succeeded]");
  await alice.page.screenshot({ path: join(SHOTS, "canary-live-succeeded.png"), fullPage: true });

  const done = await waitFor(
    `canary ${CANARY} to succeed`,
    () => canaries.get(CANARY),
    (c) => c.status?.phase === "Succeeded",
  );
  assert.equal(done.spec.promotedStep, 3, "the page's patch released step 3");
  const managers = (done.metadata.managedFields ?? []).map((m) => m.manager);
  assert.ok(managers.includes("stella-dashboard"), `written as the dashboard: ${managers}`);
  assert.ok(!managers.includes(CANARY_FIELD_MANAGER), "not by the CLI");
  assert.deepEqual(
    pageErrors.flatMap((p) => p.errors),
    [],
  );
});
