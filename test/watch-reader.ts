// Reads a watch response line by line, for tests.
import type { TestEnv } from "./env.ts";

/** A watch event as received. */
export interface Received {
  type: string;
  object: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** An open watch in a test. */
export interface WatchReader {
  status: number;
  /** The next event, or throws after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Received>;
  /** Events until `pred` holds for one (inclusive). */
  until(pred: (e: Received) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Opens a watch through the app (no TLS) and reads its stream. */
export async function openWatch(
  env: TestEnv,
  path: string,
  headers: Record<string, string> = {},
): Promise<WatchReader> {
  const res = await env.server.app.request(path, {
    headers: { authorization: `Bearer ${env.adminToken}`, ...headers },
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const queue: Received[] = [];
  const next = async (timeoutMs = 5000): Promise<Received> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (queue.length > 0) return queue.shift()!;
      const nl = buffer.indexOf("\n");
      if (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim()) queue.push(JSON.parse(line));
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no watch event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`no watch event within ${timeoutMs} ms`)), left)),
        ),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error("watch stream ended");
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  return {
    status: res.status,
    next,
    async until(pred, timeoutMs = 5000) {
      const seen: Received[] = [];
      for (;;) {
        const e = await next(timeoutMs);
        seen.push(e);
        if (pred(e)) return seen;
      }
    },
    close: () => reader.cancel(),
  };
}
