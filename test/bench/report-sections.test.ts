// The benchmark reports' section writer: a bench replaces exactly its own block of bench/deploy.md.
// (Before it, two benches dropped every section after theirs, and one rewrote the whole file.)
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { writeSections } from "../../hack/bench/report-sections.ts";

const dir = mkdtempSync(join(tmpdir(), "stella-report-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const REPORT = [
  "# Deployment benchmark",
  "",
  "intro",
  "",
  "## Convergence of 20 containers",
  "old convergence",
  "",
  "## From the failed health check to traffic",
  "old rollback",
  "",
  "## Over SSH: 20 containers (partial)",
  "old ssh",
  "",
  "## Server load of agents heartbeating",
  "old agents",
  "",
].join("\n");

describe("writeSections", () => {
  it("replaces a block in the middle and keeps what is before and after it", () => {
    const path = join(dir, "middle.md");
    writeFileSync(path, REPORT);
    writeSections(path, ["## Over SSH:"], "## Over SSH: 20 containers (3 rounds)\nnew ssh\n", "# t");
    const text = readFileSync(path, "utf8");
    assert.match(
      text,
      /## Over SSH: 20 containers \(3 rounds\)\nnew ssh\n\n## Server load of agents heartbeating\nold agents\n$/,
    );
    assert.doesNotMatch(text, /old ssh|partial/);
    assert.match(text, /old convergence[\s\S]*old rollback/);
  });

  it("replaces a title-and-sections block at the top, leaving the other benches' sections", () => {
    const path = join(dir, "top.md");
    writeFileSync(path, REPORT);
    const own = ["# Deployment benchmark", "## Convergence of", "## From the failed health check to traffic"];
    const body =
      "# Deployment benchmark\n\n## Convergence of 20 containers\nnew\n\n## From the failed health check to traffic\nnew too\n";
    writeSections(path, own, body, "# Deployment benchmark");
    const text = readFileSync(path, "utf8");
    assert.equal(text.split("\n")[0], "# Deployment benchmark");
    assert.doesNotMatch(text, /intro|old convergence|old rollback/);
    assert.match(text, /new too\n\n## Over SSH: 20 containers \(partial\)\nold ssh\n\n## Server load/);
  });

  it("appends a block not there yet, and starts a missing file with the title", () => {
    const path = join(dir, "append.md");
    writeFileSync(path, REPORT);
    writeSections(path, ["## Canary"], "## Canary\nfigures", "# t");
    assert.match(readFileSync(path, "utf8"), /old agents\n\n## Canary\nfigures\n$/);
    const fresh = join(dir, "sub", "fresh.md");
    writeSections(fresh, ["## Canary"], "## Canary\nfigures", "# Deployment benchmark");
    assert.equal(readFileSync(fresh, "utf8"), "# Deployment benchmark\n\n## Canary\nfigures\n");
  });
});
