// Approve / Reject on a promotion awaiting approval. Whether the user may decide is the server's
// answer to the same request as a dry run (dryRun=All: checked, not recorded), so the role, the
// approvers list and separation of duties are judged exactly as they would be on the real click;
// a refusal disables both buttons and shows the server's reason.
import { useEffect, useState } from "preact/hooks";
import type { Promotion } from "../../../crds/promotion.ts";
import { api, ApiFailure, collectionPath } from "../api.ts";
import type { Stored } from "../watch.ts";

type Decision = "Approved" | "Rejected";

const decide = (ns: string, name: string, decision: Decision, comment: string, dryRun: boolean) =>
  api<Promotion>(
    "POST",
    `${collectionPath(ns, "promotions")}/${encodeURIComponent(name)}/approval${dryRun ? "?dryRun=All" : ""}`,
    { decision, ...(comment ? { comment } : {}) },
  );

const message = (err: unknown) => (err instanceof ApiFailure || err instanceof Error ? err.message : String(err));

/** The decision form for promotion `p` (shown only while it awaits approval). */
export function DecisionPanel({ ns, p }: { ns: string; p: Stored<Promotion> }) {
  const [refusal, setRefusal] = useState<string | null>();
  const [comment, setComment] = useState("");
  const [result, setResult] = useState<string>();
  const [busy, setBusy] = useState(false);
  const name = p.metadata.name;
  const decided = (p.status?.approvals ?? []).length;
  const awaiting = p.status?.phase === "AwaitingApproval";
  useEffect(() => {
    setRefusal(undefined);
    // Only a promotion awaiting approval takes a decision: asking earlier gets a 409 every change.
    if (!awaiting) return;
    decide(ns, name, "Approved", "", true).then(
      () => setRefusal(null),
      (err) => setRefusal(message(err)),
    );
  }, [ns, name, decided, awaiting, p.metadata.resourceVersion]);
  // The answer to a decision stays once the promotion has moved on (as it does at once after the
  // last approval it needed).
  if (p.status?.phase !== "AwaitingApproval")
    return result ? (
      <p role="status" class="result">
        {result}
      </p>
    ) : null;
  const send = (decision: Decision) => {
    setBusy(true);
    decide(ns, name, decision, comment, false).then(
      () => {
        setBusy(false);
        setComment("");
        setResult(`${decision === "Approved" ? "Approved" : "Rejected"} ${name}.`);
      },
      (err) => {
        setBusy(false);
        setResult(message(err));
      },
    );
  };
  const disabled = refusal !== null || busy;
  return (
    <form class="decision" onSubmit={(e) => e.preventDefault()} aria-label="Decide on this promotion">
      <label for="comment">Comment</label>
      <textarea id="comment" value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      <div class="actions">
        <button
          type="button"
          class="approve"
          disabled={disabled}
          onClick={() => send("Approved")}
          aria-describedby={refusal ? "refusal" : undefined}
        >
          Approve
        </button>
        <button
          type="button"
          class="reject"
          disabled={disabled}
          onClick={() => send("Rejected")}
          aria-describedby={refusal ? "refusal" : undefined}
        >
          Reject
        </button>
      </div>
      {refusal === undefined && <p class="muted">Asking the server whether you may decide…</p>}
      {refusal && (
        <p id="refusal" class="refusal">
          {refusal}
        </p>
      )}
      {result && (
        <p role="status" class="result">
          {result}
        </p>
      )}
    </form>
  );
}
