// A phase or verdict as a coloured label; the word itself carries the meaning (not the colour alone).
const TONE: Record<string, string> = {
  Succeeded: "ok",
  Ready: "ok",
  Pass: "ok",
  Passed: "ok",
  Approved: "ok",
  Healthy: "ok",
  True: "ok",
  Failed: "bad",
  Errored: "bad",
  Rejected: "bad",
  Fail: "bad",
  Degraded: "bad",
  RolledBack: "bad",
  Aborted: "bad",
  False: "bad",
  AwaitingApproval: "wait",
  Pending: "wait",
  Paused: "wait",
  Progressing: "run",
  Deploying: "run",
  Evaluating: "run",
  Verifying: "run",
  Running: "run",
};

/** The tone of `value`: ok, bad, wait, run or neutral (a CSS class). */
export const toneOf = (value: string | undefined) => TONE[value ?? ""] ?? "neutral";

/** `value` as a badge. */
export const Badge = ({ value }: { value: string | undefined }) => (
  <span class={`badge ${toneOf(value)}`}>{value ?? "Unknown"}</span>
);
