import { test } from "node:test";
import assert from "node:assert/strict";
import { sealPacket } from "../../crds/evidence-seal.ts";
import { describeProblem } from "./problems.ts";
import { approvalPacket, copy, sealedChain, testKey } from "./test-packets.ts";
import { verifyChain } from "./verify-chain.ts";

const key = testKey();
const chain = sealedChain(5, key.privateKey);
const problemsOf = (v: ReturnType<typeof verifyChain>) => v.packets.map((p) => [p.name, p.problems.map((x) => x.kind)]);

test("an intact chain verifies in any input order, ordered by sequence", () => {
  const v = verifyChain([chain[3], chain[0], chain[4], chain[2], chain[1]], key.publicKeyPem);
  assert.equal(v.ok, true);
  assert.deepEqual(
    v.packets.map((p) => [p.sequence, p.name, p.ok]),
    chain.map((p, i) => [i, `p${i}`, true]),
  );
  assert.deepEqual(verifyChain([], key.publicKeyPem), { ok: true, packets: [] });
});

test("a removed middle packet is a gap at the packet after it, and only there", () => {
  const v = verifyChain([chain[0], chain[1], chain[3], chain[4]], key.publicKeyPem);
  assert.equal(v.ok, false);
  assert.deepEqual(problemsOf(v), [
    ["p0", []],
    ["p1", []],
    ["p3", ["SequenceGap"]],
    ["p4", []],
  ]);
  assert.deepEqual(v.packets[2].problems[0], { kind: "SequenceGap", missingFrom: 2, missingTo: 2 });
  assert.equal(describeProblem(v.packets[2].problems[0]), "sequence gap: packet 2 is missing before this one");
  const head = verifyChain(chain.slice(2), key.publicKeyPem);
  assert.deepEqual(
    head.packets[0].problems,
    [{ kind: "SequenceGap", missingFrom: 0, missingTo: 1 }],
    "a chain must start at 0",
  );
});

test("swapped sequence numbers are caught: the stored positions differ from the signed ones", () => {
  const a = copy(chain[1]);
  const b = copy(chain[2]);
  [a.spec.seal!.sequence, b.spec.seal!.sequence] = [b.spec.seal!.sequence, a.spec.seal!.sequence];
  const v = verifyChain([chain[0], a, b, chain[3]], key.publicKeyPem);
  assert.equal(v.ok, false);
  // In stored order p2 now sits at 1 and p1 at 2: each carries a sequence it did not sign, and
  // each names a predecessor that is not the packet before it.
  assert.deepEqual(
    v.packets.map((p) => p.name),
    ["p0", "p2", "p1", "p3"],
  );
  assert.deepEqual(
    v.packets.filter((p) => !p.ok).map((p) => [p.name, p.problems]),
    [
      [
        "p2",
        [
          { kind: "FieldMismatch", field: "spec.seal.sequence", signed: 2, stored: 1 },
          {
            kind: "PreviousDigestMismatch",
            recorded: chain[1].spec.seal!.digest,
            expected: chain[0].spec.seal!.digest,
            previous: "p0",
          },
        ],
      ],
      [
        "p1",
        [
          { kind: "FieldMismatch", field: "spec.seal.sequence", signed: 1, stored: 2 },
          {
            kind: "PreviousDigestMismatch",
            recorded: chain[0].spec.seal!.digest,
            expected: chain[2].spec.seal!.digest,
            previous: "p2",
          },
        ],
      ],
      [
        "p3",
        [
          {
            kind: "PreviousDigestMismatch",
            recorded: chain[2].spec.seal!.digest,
            expected: chain[1].spec.seal!.digest,
            previous: "p1",
          },
        ],
      ],
    ],
  );
});

test("a fork (two packets sealed on the same head) flags both; the next link still holds if it names one", () => {
  const rival = sealPacket(approvalPacket("rival"), chain[1], key.privateKey, new Date());
  const v = verifyChain([...chain, rival], key.publicKeyPem);
  assert.equal(v.ok, false);
  assert.deepEqual(problemsOf(v), [
    ["p0", []],
    ["p1", []],
    ["p2", ["Fork"]],
    ["rival", ["Fork"]],
    ["p3", []],
    ["p4", []],
  ]);
  assert.equal(describeProblem(v.packets[2].problems[0]), "fork: sequence 2 is also claimed by rival");
});

test("a packet whose predecessor was replaced by a different one names the broken link", () => {
  const impostor = sealPacket(approvalPacket("impostor"), chain[0], key.privateKey, new Date());
  const v = verifyChain([chain[0], impostor, chain[2]], key.publicKeyPem);
  assert.deepEqual(v.packets[2].problems, [
    {
      kind: "PreviousDigestMismatch",
      recorded: chain[1].spec.seal!.digest,
      expected: impostor.spec.seal!.digest,
      previous: "impostor",
    },
  ]);
});

test("a packet from another namespace's chain is foreign", () => {
  const elsewhere = sealedChain(1, key.privateKey, "other");
  const v = verifyChain([chain[0], ...elsewhere], key.publicKeyPem, { namespace: "shop" });
  assert.deepEqual(problemsOf(v), [
    ["p0", []],
    ["p0", ["ForeignNamespace"]],
  ]);
});

test("a tampered packet fails on its own; the links around it still hold", () => {
  const t = copy(chain[2]);
  t.spec.decision.outcome = "Rejected";
  const v = verifyChain([chain[0], chain[1], t, chain[3]], key.publicKeyPem);
  assert.deepEqual(problemsOf(v), [
    ["p0", []],
    ["p1", []],
    ["p2", ["FieldMismatch"]],
    ["p3", []],
  ]);
});
