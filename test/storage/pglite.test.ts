// The storage conformance suite on embedded PGlite, each storage in its own temporary directory.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { openStorage } from "../../apiserver/storage/index.ts";
import { runStorageConformance } from "./conformance.ts";

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

runStorageConformance("pglite", async (options) => {
  const dir = await mkdtemp(join(tmpdir(), "stella-storage-"));
  dirs.push(dir);
  return openStorage({ backend: "pglite", dataDir: join(dir, "db") }, options);
});
