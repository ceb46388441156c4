// Graceful shutdown on SIGINT/SIGTERM for a controller process (controller-runtime's
// SetupSignalHandler): the first signal stops the manager, a second one exits at once.
import type { Manager } from "./manager.ts";

/**
 * Stops `mgr` on the first SIGINT or SIGTERM and exits with 1 on the second. Returns a function that removes the
 * handlers.
 */
export function stopOnSignals(mgr: Manager, signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"]): () => void {
  let seen = false;
  const handler = () => {
    if (seen) process.exit(1);
    seen = true;
    void mgr.stop();
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
