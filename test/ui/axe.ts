// axe-core in the page under test: its serious and critical violations, as "rule: targets" lines.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "puppeteer-core";

let source: string | undefined;

/** The serious and critical accessibility violations axe-core finds on `page` as it stands now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  source ??= await readFile(fileURLToPath(import.meta.resolve("axe-core/axe.min.js")), "utf8");
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(source);
  return page.evaluate(async () => {
    type AxeViolation = { id: string; impact: string; nodes: { target: string[] }[] };
    const run = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run;
    const { violations } = await run();
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}
