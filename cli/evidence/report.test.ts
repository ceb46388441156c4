import { test } from "node:test";
import assert from "node:assert/strict";
import type { PacketVerdict } from "../../sdk/evidence/verify-packet.ts";
import { resultText, summaryLine, verdictLines } from "./report.ts";

const verdict = (sequence: number, name: string, problems: PacketVerdict["problems"] = []): PacketVerdict => ({
  name,
  namespace: "shop",
  sequence,
  previousDigest: undefined,
  digest: undefined,
  type: "Approval",
  outcome: "Approved",
  problems,
  ok: problems.length === 0,
});

test("each packet reads as a row with OK or exactly what is wrong", () => {
  const rows = [
    verdict(0, "p0"),
    verdict(2, "p2", [
      { kind: "SequenceGap", missingFrom: 1, missingTo: 1 },
      { kind: "FieldMismatch", field: "spec.decision.outcome", signed: "Approved", stored: "Rejected" },
    ]),
  ];
  assert.deepEqual(verdictLines(rows), [
    "SEQ   NAME   TYPE       OUTCOME    RESULT",
    "0     p0     Approval   Approved   OK",
    '2     p2     Approval   Approved   FAILED: sequence gap: packet 1 is missing before this one; spec.decision.outcome does not match the signed payload (signed "Approved", stored "Rejected")',
  ]);
  assert.equal(resultText(verdict(0, "x", [{ kind: "Unsealed" }])), "FAILED: not sealed (spec.seal is missing)");
});

test("the summary says OK with the range verified, or which packets failed", () => {
  const scope = { what: "chain of namespace shop", keyId: "abc" };
  assert.equal(
    summaryLine([verdict(0, "p0"), verdict(1, "p1")], scope),
    "OK: chain of namespace shop: 2 packets, sequences 0-1 verified with key abc",
  );
  assert.equal(
    summaryLine([verdict(0, "p0"), verdict(1, "p1", [{ kind: "Unsealed" }])], scope),
    "FAILED: chain of namespace shop: 1 of 2 packets failed verification (p1) with key abc",
  );
});
