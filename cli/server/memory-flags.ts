// The memory flags of `stella server`: the bound of each in-memory cache of the storage.
import { parseBytes, parseCount } from "../args.ts";
import { UsageError } from "../command.ts";

/** What the flags set; an absent flag keeps the storage's default. */
export interface MemoryBounds {
  listCacheBytes?: number;
  watchCacheEvents?: number;
  pgliteSharedBuffersMiB?: number;
}

/** The cache bounds the memory flags set; absent flags keep the storage's defaults. */
export function memoryBounds(values: {
  "list-cache"?: string;
  "watch-cache-events"?: string;
  "pglite-shared-buffers"?: string;
}): MemoryBounds {
  const out: MemoryBounds = {};
  if (values["list-cache"] !== undefined) out.listCacheBytes = parseBytes(values["list-cache"], "list-cache");
  if (values["watch-cache-events"] !== undefined)
    out.watchCacheEvents = parseCount(values["watch-cache-events"], "watch-cache-events", 100);
  const buffers = values["pglite-shared-buffers"];
  if (buffers !== undefined) {
    const bytes = parseBytes(buffers, "pglite-shared-buffers");
    if (bytes < 2 ** 20 || bytes % 2 ** 20 !== 0)
      throw new UsageError(
        `--pglite-shared-buffers must be whole mebibytes of at least 1Mi, such as 16Mi, not "${buffers}"`,
      );
    out.pgliteSharedBuffersMiB = bytes / 2 ** 20;
  }
  return out;
}
