// Real headless Chromium (Debian `chromium`, never a downloaded build) driven by puppeteer-core.
// The server's certificate is trusted by pinning its public key, not by ignoring certificate errors.
// Missing chromium: the test is skipped on a developer's machine and fails in CI (CI=true).
import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import puppeteer, { type Browser, type BrowserContext, type Page } from "puppeteer-core";

/** Where chromium is: $CHROMIUM, else the first `chromium` on PATH; undefined when absent. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM && existsSync(process.env.CHROMIUM)) return process.env.CHROMIUM;
  try {
    return (
      execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** Chromium's path, or a skip (fails under CI=true, where the service must be there). */
export function requireChromium(t: TestContext): string | undefined {
  const path = chromiumPath();
  if (path) return path;
  const why = "chromium is not installed (hack/services.sh up installs Debian chromium)";
  if (process.env.CI === "true") throw new Error(why);
  t.skip(why);
  return undefined;
}

/** The base64 sha256 of a certificate's SubjectPublicKeyInfo, as --ignore-certificate-errors-spki-list takes it. */
const spkiPin = (certPem: string) =>
  createHash("sha256")
    .update(new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");

/** Launches headless chromium trusting only `serverCertPem` besides the system's CAs. */
export function launch(executablePath: string, serverCertPem: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      `--ignore-certificate-errors-spki-list=${spkiPin(serverCertPem)}`,
      // Nothing leaves loopback: no component updates, no safe-browsing, no DNS prefetch.
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
}

/** What a page reported to its console and as uncaught errors. */
export interface PageErrors {
  errors: string[];
}

/**
 * Collects console errors and uncaught exceptions of `page`. Chromium's own line for an HTTP
 * error the page asked for and handled ("Failed to load resource: … status of 403") is not an
 * error of the page: the dashboard asks the server whether an action is allowed and expects no.
 */
export function collectErrors(page: Page): PageErrors {
  const out: PageErrors = { errors: [] };
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    out.errors.push(m.text());
  });
  page.on("pageerror", (err) => out.errors.push(String(err)));
  page.on("dialog", (d) => {
    out.errors.push(`dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  return out;
}

/** The text content of the first element matching `selector`, once one exists. */
export async function textOf(page: Page, selector: string): Promise<string> {
  const el = await page.waitForSelector(selector);
  return (await el!.evaluate((e) => e.textContent ?? "")).trim();
}

/**
 * A fresh browser context (its own sessionStorage: another person) with one page at `base` + `path`,
 * signed in with `token` through the sign-in screen; its console errors go to `errors`.
 */
export async function signIn(
  b: Browser,
  base: string,
  token: string,
  path: string,
  errors: PageErrors[],
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await b.createBrowserContext();
  return { ctx, page: await signInTab(ctx, base, token, path, errors) };
}

/** A new page (a tab: its own sessionStorage) in `ctx` at `base` + `path`, signed in with `token`. */
export async function signInTab(
  ctx: BrowserContext,
  base: string,
  token: string,
  path: string,
  errors: PageErrors[],
): Promise<Page> {
  const page = await ctx.newPage();
  errors.push(collectErrors(page));
  await page.goto(`${base}${path}`);
  await page.waitForSelector("#token");
  await page.type("#token", token);
  await page.click("button[type=submit]");
  await page.waitForFunction((p) => location.pathname === p, {}, path);
  return page;
}
