// @kubernetes/client-node v2 depends on undici 8, which declares Node >= 22.19 and uses three
// Node 22 APIs: zlib's zstd streams and worker_threads.markAsUncloneable while loading, and
// Promise.withResolvers per request. This project runs on Node 20, so for the client-node test
// only, these get stand-ins: zstd is never negotiated with Stella (it does not compress),
// markAsUncloneable only guards structuredClone, and withResolvers is a three-line function.
// Import this module before @kubernetes/client-node. On Node >= 22.19 it does nothing.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const zlib = require("node:zlib") as Record<string, unknown>;
const workers = require("node:worker_threads") as Record<string, unknown>;
const unsupported = () => {
  throw new Error("zstd needs Node >= 22.15");
};
zlib.createZstdCompress ??= unsupported;
zlib.createZstdDecompress ??= unsupported;
workers.markAsUncloneable ??= () => {};

type Resolvers = { promise: Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
const P = Promise as unknown as { withResolvers?: () => Resolvers };
P.withResolvers ??= () => {
  const r = {} as Resolvers;
  r.promise = new Promise((resolve, reject) => Object.assign(r, { resolve, reject }));
  return r;
};
