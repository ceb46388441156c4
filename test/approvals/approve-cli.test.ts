// `stella approve|reject` through the real CLI, with a kubeconfig per person: the identity the
// server records is the kubeconfig's token's, and refusals print the server's message.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { withToken } from "../cli/kubeconfigs.ts";
import { stella } from "../cli/run-stella.ts";
import { collection } from "../fixtures.ts";
import { as, inPhase, must, NS, promotion, promotionUrl, seed, tokenFor } from "./approval-env.ts";

describe("stella approve and reject", () => {
  let env: TestEnv;
  const kubeconfig: Record<string, string> = {};
  const token: Record<string, string> = {};

  before(async () => {
    env = await startEnv({ listen: true });
    await seed(env);
    const people: [string, ("operator" | "approver")[], string[]][] = [
      ["olga", ["operator"], []],
      ["alice", ["operator", "approver"], []],
      ["bob", ["approver"], []],
      ["carol", ["approver"], []],
    ];
    for (const [user, roles, groups] of people) {
      token[user] = await tokenFor(env, user, roles, groups);
      kubeconfig[user] = await withToken(env.server.kubeconfigPath, `${user}.kubeconfig`, token[user]);
    }
  });
  after(() => env.stop());

  const create = async (name: string, environment: string, by: string) => {
    await must(env.request("POST", collection("promotions", NS), promotion(name, environment), as(token[by])), 201);
    await inPhase(env, name);
  };
  const approvals = async (name: string) => (await env.request("GET", promotionUrl(name))).body.status?.approvals ?? [];

  test("two approvers approve a prod promotion; each line names who and counts against the policy", async () => {
    await create("to-prod", "prod", "olga");
    const first = await stella(["approve", "to-prod", "-n", NS, "--comment", "canary clean"], {
      kubeconfig: kubeconfig.bob,
    });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, "promotion.release.stella.io/to-prod approved by bob (1/2)\n");
    const second = await stella(["approve", "promotion/to-prod", "-n", NS], { kubeconfig: kubeconfig.carol });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, "promotion.release.stella.io/to-prod approved by carol (2/2)\n");
    const recorded = await approvals("to-prod");
    assert.deepEqual(
      recorded.map((a: { user: { username: string }; comment?: string }) => [a.user.username, a.comment]),
      [
        ["bob", "canary clean"],
        ["carol", undefined],
      ],
    );
  });

  test("approving twice prints the server's 409", async () => {
    await create("twice", "staging", "olga");
    assert.equal((await stella(["approve", "twice", "-n", NS], { kubeconfig: kubeconfig.bob })).code, 0);
    const again = await stella(["approve", "twice", "-n", NS], { kubeconfig: kubeconfig.bob });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already approved by bob/);
  });

  test("the author cannot approve under separation of duties; an operator lacks the role", async () => {
    await create("own", "staging", "alice");
    const own = await stella(["approve", "own", "-n", NS], { kubeconfig: kubeconfig.alice });
    assert.equal(own.code, 1);
    assert.match(own.stderr, /forbidden \(403\): separation of duties: user "alice" requested promotion "own"/);
    const operator = await stella(["approve", "own", "-n", NS], { kubeconfig: kubeconfig.olga });
    assert.equal(operator.code, 1);
    assert.match(
      operator.stderr,
      /forbidden \(403\): user "olga" \(roles in "shop": operator\) cannot create promotions\/approval "own"/,
    );
    assert.match(operator.stderr, /approver \(or admin\) role/);
    assert.deepEqual(await approvals("own"), []);
  });

  test("reject needs a comment, records it, and closes the promotion", async () => {
    await create("bad", "prod", "olga");
    const silent = await stella(["reject", "bad", "-n", NS], { kubeconfig: kubeconfig.bob });
    assert.equal(silent.code, 2);
    assert.match(silent.stderr, /a rejection needs --comment/);
    const rejected = await stella(["reject", "bad", "-n", NS, "--comment", "p99 latency doubled"], {
      kubeconfig: kubeconfig.bob,
    });
    assert.equal(rejected.code, 0, rejected.stderr);
    assert.equal(rejected.stdout, "promotion.release.stella.io/bad rejected by bob: p99 latency doubled\n");
    const late = await stella(["approve", "bad", "-n", NS], { kubeconfig: kubeconfig.carol });
    assert.equal(late.code, 1);
    assert.match(late.stderr, /already rejected by bob/);
  });

  test("-o json prints the updated promotion; --dry-run=server records nothing", async () => {
    await create("dry", "dev", "olga");
    const dry = await stella(["approve", "dry", "-n", NS, "--dry-run=server"], { kubeconfig: kubeconfig.bob });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /approved by bob \(1 approval\) \(server dry run\)/);
    assert.deepEqual(await approvals("dry"), []);
    const json = await stella(["approve", "dry", "-n", NS, "-o", "json"], { kubeconfig: kubeconfig.bob });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).status.approvals[0].user.username, "bob");
  });

  test("help documents both commands", async () => {
    const help = await stella(["help"]);
    assert.match(help.stdout, /approve\s+Approve a promotion/);
    assert.match(help.stdout, /reject\s+Reject a promotion/);
    assert.match(help.stdout, /audit\s+Query the audit log/);
    const approve = await stella(["approve", "--help"]);
    assert.match(approve.stdout, /Usage: stella approve PROMOTION/);
  });
});
