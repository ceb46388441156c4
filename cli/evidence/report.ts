// How verification reads on the command line: one row per packet (sequence, name, type, outcome,
// OK or exactly what is wrong) and a summary line that says whether the whole passed.
import type { PacketVerdict } from "../../sdk/evidence/verify-packet.ts";
import { describeProblem } from "../../sdk/evidence/problems.ts";
import { alignColumns } from "../output/columns.ts";

/** "OK", or "FAILED: " and every problem of the packet, separated by "; ". */
export function resultText(v: PacketVerdict): string {
  return v.ok ? "OK" : `FAILED: ${v.problems.map(describeProblem).join("; ")}`;
}

/** The table of verdicts: a header, then one aligned row per packet. */
export function verdictLines(verdicts: readonly PacketVerdict[]): string[] {
  const rows = verdicts.map((v) => [
    v.sequence === undefined ? "-" : String(v.sequence),
    v.name,
    v.type ?? "-",
    v.outcome ?? "-",
    resultText(v),
  ]);
  return alignColumns([["SEQ", "NAME", "TYPE", "OUTCOME", "RESULT"], ...rows]);
}

/** What was verified, for the summary line: "chain of namespace shop", "packet p0", "bundle audit.json". */
export interface VerifiedScope {
  what: string;
  keyId: string;
}

/** The last line: "OK: ..." when every packet passed, else "FAILED: n of m packets ...". */
export function summaryLine(verdicts: readonly PacketVerdict[], scope: VerifiedScope): string {
  const failed = verdicts.filter((v) => !v.ok);
  const sequences = verdicts.map((v) => v.sequence).filter((s): s is number => s !== undefined);
  const range = sequences.length > 0 ? `, sequences ${Math.min(...sequences)}-${Math.max(...sequences)}` : "";
  const packets = `${verdicts.length} packet${verdicts.length === 1 ? "" : "s"}`;
  if (failed.length === 0) return `OK: ${scope.what}: ${packets}${range} verified with key ${scope.keyId}`;
  return `FAILED: ${scope.what}: ${failed.length} of ${packets} failed verification (${failed.map((v) => v.name).join(", ")}) with key ${scope.keyId}`;
}
