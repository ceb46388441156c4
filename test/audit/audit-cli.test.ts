// `stella audit` through the real CLI: filters by user, resource and time, table and JSON output,
// and a non-admin refused with the server's message.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { withToken } from "../cli/kubeconfigs.ts";
import { stella } from "../cli/run-stella.ts";
import { NS, seedWrites, tokenFor, type Seeded } from "./audit-env.ts";

describe("stella audit", () => {
  let env: TestEnv;
  let seeded: Seeded;
  let admin: string;
  let operator: string;
  before(async () => {
    env = await startEnv({ listen: true });
    seeded = await seedWrites(env);
    admin = env.server.kubeconfigPath;
    operator = await withToken(admin, "audit-operator.kubeconfig", await tokenFor(env, "olga", "operator"));
  });
  after(() => env.stop());

  /** The table's rows as [USER, VERB, RESOURCE, NAMESPACE, NAME, CODE] (TIME left out). */
  const table = async (args: string[], kubeconfig = admin) => {
    const r = await stella(["audit", ...args], { kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    const [header, ...lines] = r.stdout.trimEnd().split("\n");
    assert.match(header, /^TIME\s+USER\s+VERB\s+RESOURCE\s+NAMESPACE\s+NAME\s+CODE$/);
    return lines.map((l) => {
      const [time, ...rest] = l.split(/\s+/);
      assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      return rest.join(" ");
    });
  };

  test("--user: only that user's requests in the namespace, newest first", async () => {
    assert.deepEqual(await table(["--user", "alice", "-n", NS]), [
      `alice delete environments ${NS} staging 200`,
      `alice patch environments ${NS} dev 200`,
      `alice create environments ${NS} staging 201`,
      `alice create environments ${NS} dev 201`,
    ]);
    assert.deepEqual(await table(["--user", "bob", "-A"]), [
      `bob create promotions ${NS} p1 201`,
      "bob create environments default nope 403",
      `bob create targets ${NS} t1 201`,
    ]);
  });

  test("--resource takes any name of the kind; --name and --verb narrow it", async () => {
    const expected = [
      `alice delete environments ${NS} staging 200`,
      `alice patch environments ${NS} dev 200`,
      `alice create environments ${NS} staging 201`,
      `alice create environments ${NS} dev 201`,
    ];
    assert.deepEqual(await table(["--resource", "env", "-n", NS]), expected);
    assert.deepEqual(
      await table(["--resource", "environments", "--name", "dev", "-n", NS]),
      expected.filter((l) => l.includes(" dev ")),
    );
    assert.deepEqual(await table(["--resource", "Environment", "--verb", "delete", "-n", NS]), [expected[0]]);
  });

  test("--since and --until take RFC 3339 times and durations", async () => {
    assert.deepEqual(await table(["--since", seeded.boundary, "-n", NS]), [
      `bob create promotions ${NS} p1 201`,
      `alice delete environments ${NS} staging 200`,
      `alice patch environments ${NS} dev 200`,
    ]);
    assert.deepEqual(await table(["--until", seeded.boundary, "-n", NS]), [
      `bob create targets ${NS} t1 201`,
      `alice create environments ${NS} staging 201`,
      `alice create environments ${NS} dev 201`,
    ]);
    assert.equal((await table(["--since", "1h", "-n", NS])).length, 6);
    const none = await stella(["audit", "--until", "2000-01-01T00:00:00Z", "-n", NS], { kubeconfig: admin });
    assert.equal(none.code, 0);
    assert.equal(none.stdout, "");
    assert.match(none.stderr, /No audit events found in audited namespace/);
  });

  test("--limit keeps the newest and says more match; -o json prints the events", async () => {
    const r = await stella(["audit", "-n", NS, "--limit", "2", "-o", "json"], { kubeconfig: admin });
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout);
    assert.equal(list.kind, "AuditEventList");
    assert.deepEqual(
      list.items.map((e: { user: string; verb: string; name: string }) => `${e.user} ${e.verb} ${e.name}`),
      ["bob create p1", "alice delete staging"],
    );
    assert.match(r.stderr, /the newest 2 shown/);
  });

  test("a non-admin is refused with the server's 403; bad flags are usage errors", async () => {
    const r = await stella(["audit", "-n", NS], { kubeconfig: operator });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /forbidden \(403\): user "olga" \(roles in "audited": operator\) cannot list auditevents in namespace "audited"/,
    );
    for (const args of [
      ["--since", "yesterday"],
      ["--limit", "0"],
      ["-n", NS, "-A"],
      ["-o", "yaml"],
      ["--resource", "widgets"],
    ]) {
      const bad = await stella(["audit", ...args], { kubeconfig: admin });
      assert.equal(bad.code, 2, `${args.join(" ")}: ${bad.stderr}`);
    }
  });
});
