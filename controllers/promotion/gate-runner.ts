// Asking one gate plugin for a verdict, safely: a plugin that throws or hangs answers Error with a
// retry time (asked again, up to the workflow's limit), a missing plugin answers Error without one
// (final: no retry brings it), and inputs are scrubbed of anything that looks like a secret before
// they reach status or evidence.
import type { Gate, GateRequest, GateResult } from "../../sdk/plugins/gate.ts";
import { redact } from "./evidence.ts";

/** When a gate that threw or timed out is asked again. */
export const GATE_CRASH_RETRY_MS = 5_000;

/** Evaluates `gate` (of `type`) on `req` within `timeoutMs`. Never throws. */
export async function runGate(
  gate: Gate | undefined,
  type: string,
  req: Omit<GateRequest, "signal">,
  timeoutMs: number,
): Promise<GateResult> {
  if (!gate)
    return { verdict: "Error", message: `no gate plugin of type ${type} is loaded in the promotion controller` };
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<GateResult>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve({
        verdict: "Error",
        message: `gate ${type} did not answer within ${Math.round(timeoutMs / 1000)}s`,
        retryAfterMs: GATE_CRASH_RETRY_MS,
      });
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([gate.evaluate({ ...req, signal: abort.signal }), timeout]);
    return { ...result, ...(result.inputs ? { inputs: redact(result.inputs) as Record<string, unknown> } : {}) };
  } catch (err) {
    return {
      verdict: "Error",
      message: `gate ${type} could not be evaluated: ${err instanceof Error ? err.message : String(err)}`,
      retryAfterMs: GATE_CRASH_RETRY_MS,
    };
  } finally {
    clearTimeout(timer);
  }
}
