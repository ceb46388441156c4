// A process that opens PGlite storage in the directory given as argv[2] and keeps it open:
// prints "open <pid>" once it holds the store, or "refused <message>" and exits 3.
import { openStorage } from "../../apiserver/storage/index.ts";

const dir = process.argv[2];
try {
  await openStorage({ backend: "pglite", dataDir: dir }, { compactIntervalMs: 0 });
  process.stdout.write(`open ${process.pid}\n`);
  setInterval(() => {}, 60_000);
} catch (err) {
  process.stdout.write(`refused ${(err as Error).message}\n`);
  process.exit(3);
}
