// A watch or list at a resourceVersion the server has not reached yet waits briefly (another
// replica may be ahead), then fails as Kubernetes does: 504 with ResourceVersionTooLarge.
import { ApiError } from "../../crds/errors.ts";
import type { Storage } from "../storage/types.ts";

/** Waits up to `maxMs` for the storage to reach `rv`; throws 504 if it does not. */
export async function waitForResourceVersion(storage: Storage, rv: number, maxMs = 3000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let current = await storage.currentRV();
  while (current < rv && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    current = await storage.currentRV();
  }
  if (current < rv)
    throw new ApiError(504, "Timeout", `Too large resource version: ${rv}, current: ${current}`, {
      causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: 1,
    });
}
