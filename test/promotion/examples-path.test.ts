// The full path of ../shared/examples on the local estate, the way the README walks it: the estate,
// the release deployed to dev (deploy.yaml), promoted to staging (promote.yaml) with one approval
// by someone other than its author, then to prod with two distinct approvers — through the
// `stella` CLI with a kubeconfig per person — and the evidence chain exported and verified offline
// with only the public key. prod-web-2 is served by a real agent process enrolled as the README
// shows (agent.yaml, `stella agent bootstrap`, `stella agent --bootstrap-token`), and the prod
// rollout reaches it. prod-web-1 is reached over SSH (the estate's sshd on 127.0.0.2:2222 with the
// examples' pinned host key), with the deploy key Secret `hack/estate.sh up` wrote, applied as the
// README says. The soaks are shortened, prod's weekend freeze is lifted, and prod's Nomad and ECS
// targets are cordoned (their platforms are walked in the scheduler tests); everything else is the
// examples as written.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promotionKind, type Promotion } from "../../crds/promotion.ts";
import { withToken } from "../cli/kubeconfigs.ts";
import { stella } from "../cli/run-stella.ts";
import { containers, removeContainers, startDeployEnv, waitFor, type DeployEnv } from "../deploy/deploy-env.ts";
import { ESTATE_DIR, estateSkipReason } from "../estate/estate-env.ts";
import { EXAMPLES_DIR } from "../fixtures.ts";
import { loadClientConfig } from "../../sdk/index.ts";
import { spawnAgent, type AgentProcess } from "../agent/agent-env.ts";

const skip = await estateSkipReason();
const NS = "shop";

describe("from a new release to production, and an auditor's bundle", { skip }, () => {
  let de: DeployEnv;
  let agent: AgentProcess | undefined;
  const kubeconfig: Record<string, string> = {};
  const as = async (who: string, args: string[], input?: string) =>
    stella(args, { kubeconfig: kubeconfig[who], input });
  const ok = async (who: string, args: string[], input?: string) => {
    const r = await as(who, args, input);
    assert.equal(r.code, 0, `${who}: stella ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  const promotion = (name: string) => de.admin.resource<Promotion>(promotionKind).get(name, { namespace: NS });
  const phaseOf = async (name: string, phases: string[]) =>
    waitFor(
      `promotion ${name} to reach ${phases.join("|")}`,
      () => promotion(name),
      (p) => phases.includes(p.status?.phase ?? ""),
      180_000,
    );

  before(async () => {
    await removeContainers(NS);
    de = await startDeployEnv();
    kubeconfig.admin = de.env.server.kubeconfigPath;
    for (const [user, roles] of [
      ["alice", ["operator", "approver"]],
      ["bob", ["approver"]],
      ["carol", ["approver"]],
    ] as const) {
      const token = await de.env.server.issuer.issue({
        subject: user,
        grants: roles.map((role) => ({ namespace: NS, role })),
      });
      kubeconfig[user] = await withToken(de.env.server.kubeconfigPath, `${user}-path.kubeconfig`, token);
    }
  });
  after(async () => {
    agent?.child.kill("SIGTERM");
    await agent?.exited;
    await de?.stop();
    await removeContainers(NS);
  });

  it("dev, staging with one approver, prod with two; the chain verifies offline", async () => {
    await ok("admin", ["create", "namespace", NS]);
    await ok("admin", ["apply", "-f", join(EXAMPLES_DIR, "estate.yaml")]);
    await ok("admin", ["apply", "-f", join(EXAMPLES_DIR, "release.yaml")]);
    // prod-web-2's agent, as a new operator enrolls it: the Agent, a one-time token, the agent process.
    await ok("admin", ["apply", "-f", join(EXAMPLES_DIR, "agent.yaml")]);
    const token = (await ok("admin", ["agent", "bootstrap", "prod-web-2-agent", "-n", NS])).trim();
    assert.match(token, /^stb1\.[0-9a-f]{64}\./);
    const { server } = await loadClientConfig({ path: kubeconfig.admin });
    agent = await spawnAgent(server, "prod-web-2-agent", { token });
    await ok("admin", ["wait", "--for=condition=Ready", "agent/prod-web-2-agent", "-n", NS, "--timeout=3m"]);
    await waitFor(
      "prod-web-2 Ready through its agent",
      () => de.targets.get("prod-web-2", { namespace: NS }),
      (t) => t.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      180_000,
    );
    // prod-web-1's deploy key, as the README applies it; the host key it checks is estate.yaml's.
    await ok("admin", ["apply", "-f", join(ESTATE_DIR, "secrets", "deploy-ssh-key.yaml")]);
    await ok("admin", ["wait", "--for=condition=Ready", "target/prod-web-1", "-n", NS, "--timeout=3m"]);
    // The walk covers the hosts; prod's Nomad and ECS targets are cordoned.
    for (const t of ["prod-nomad", "prod-ecs"])
      await de.targets.patch(t, { spec: { unschedulable: true } }, { type: "merge", namespace: NS });
    for (const env of ["staging", "prod"])
      await de.environments.patch(env, { spec: { requiredSoak: "2s" } }, { type: "merge", namespace: NS });
    // prod's example freeze (Friday 16:00 to Monday 08:00 UTC) would hold this walk whenever the
    // suite runs at a weekend; it is lifted so the walk does not depend on the day. The window itself
    // is tested in test/gates/freeze-example.test.ts, a freeze holding a promotion in outcomes.test.ts.
    await de.environments.patch("prod", { spec: { freezeWindows: [] } }, { type: "merge", namespace: NS });

    await ok("alice", ["apply", "-f", join(EXAMPLES_DIR, "deploy.yaml")]);
    assert.equal((await as("alice", ["rollout", "status", "shop-1-4-0-dev", "-n", NS, "-w"])).code, 0);

    await ok("alice", ["apply", "-f", join(EXAMPLES_DIR, "promote.yaml")]);
    const staging = "shop-1-4-0-to-staging";
    const waiting = await waitFor(
      `promotion ${staging} to wait for an approval`,
      () => promotion(staging),
      (p) => /^approval: waiting/.test(p.status?.message ?? ""),
      180_000,
    );
    assert.equal(waiting.status?.phase, "AwaitingApproval");
    assert.equal(waiting.spec.requestedBy?.username, "alice", "the author comes from alice's token");
    // What a person reads while it waits: the phase, what it waits for, the gates that passed.
    const described = await ok("bob", ["describe", "promotion", staging, "-n", NS]);
    assert.match(described, /Phase:\s+AwaitingApproval/);
    assert.match(described, /GatesPassed\s+True\s+GatesPassed\s+\S+\s+gates passed: upstream Passed, soak Passed/);
    assert.match(
      described,
      /Approved\s+Unknown\s+WaitingForApproval\s+\S+\s+approval: waiting for 1 more approval \(0\/1\): approvers must not include the requester alice/,
    );
    assert.match(described, /Requested By:\s+Username:\s+alice/);
    const own = await as("alice", ["approve", staging, "-n", NS]);
    assert.equal(own.code, 1, "alice may not approve her own promotion");
    assert.match(own.stderr, /separation of duties|requested/i);
    assert.match(
      await ok("bob", ["approve", staging, "-n", NS, "--comment", "dev looks good"]),
      /approved by bob \(1\/1\)/,
    );
    assert.equal(
      (await phaseOf(staging, ["Succeeded", "Failed", "Errored", "Rejected", "Aborted", "Superseded"])).status?.phase,
      "Succeeded",
    );

    const prod = "shop-1-4-0-to-prod";
    const manifest = [
      "apiVersion: release.stella.io/v1alpha1",
      "kind: Promotion",
      "metadata:",
      `  name: ${prod}`,
      `  namespace: ${NS}`,
      "spec:",
      "  release: shop-1-4-0",
      "  environment: prod",
      "  reason: 1.4.0 to production",
      "",
    ].join("\n");
    await ok("alice", ["apply", "-f", "-"], manifest);
    await phaseOf(prod, ["AwaitingApproval"]);
    assert.match(await ok("bob", ["approve", prod, "-n", NS]), /approved by bob \(1\/2\)/);
    const twice = await as("bob", ["approve", prod, "-n", NS]);
    assert.equal(twice.code, 1, "one person counts once");
    assert.match(await ok("carol", ["approve", prod, "-n", NS, "--comment", "go"]), /approved by carol \(2\/2\)/);
    const done = await phaseOf(prod, ["Succeeded", "Failed", "Errored", "Rejected", "Aborted", "Superseded"]);
    assert.equal(done.status?.phase, "Succeeded", done.status?.message);
    assert.deepEqual(
      done.status?.approvals?.map((a) => a.user.username),
      ["bob", "carol"],
    );
    assert.match(await ok("admin", ["describe", "promotion", prod, "-n", NS]), /Succeeded/);
    await waitFor(
      "prod to run shop-1-4-0",
      () => de.environments.get("prod", { namespace: NS }),
      (e) => e.status?.current?.release === "shop-1-4-0",
    );
    // The rollout reached both hosts: the SSH host and the agent's, their units labelled with the target.
    for (const [target, how] of [
      ["prod-web-1", "over SSH"],
      ["prod-web-2", "through its agent"],
    ]) {
      const units = await containers(NS, { environment: "prod", target });
      assert.ok(units.length > 0, `prod's units run on ${target}, ${how}`);
      assert.ok(
        units.every((c) => c.labels["stella.io/release"] === "shop-1-4-0" && c.state === "running"),
        `${target} runs shop-1-4-0: ${JSON.stringify(units.map((c) => [c.labels["stella.io/release"], c.state]))}`,
      );
    }

    // The auditor's part: the whole chain verifies against the server; the exported bundle verifies
    // with only the public key and no server; an altered bundle does not.
    assert.match(await ok("admin", ["evidence", "verify", "--chain", "-n", NS]), /OK|ok|verified/);
    const bundle = join(de.env.server.kubeconfigPath, "..", "shop-evidence.json");
    const pub = join(de.env.server.kubeconfigPath, "..", "evidence.pub.pem");
    await ok("admin", ["evidence", "export", "-n", NS, "-o", bundle]);
    await writeFile(pub, await ok("admin", ["evidence", "key"]));
    const offline = await stella(["evidence", "verify", "--bundle", bundle, "--key", pub]);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    const text = await readFile(bundle, "utf8");
    const parsed = JSON.parse(text) as { packets: { spec: { type: string; decision: { outcome: string } } }[] };
    const types = new Set(parsed.packets.map((p) => p.spec.type));
    for (const t of ["Approval", "GateVerdict", "DeploymentOutcome", "PromotionDecision"])
      assert.ok(types.has(t), `the bundle holds ${t} evidence (has ${[...types].join(", ")})`);
    const approval = parsed.packets.find((p) => p.spec.type === "Approval")!;
    approval.spec.decision.outcome = "Rejected";
    const tampered = join(de.env.server.kubeconfigPath, "..", "shop-evidence-tampered.json");
    await writeFile(tampered, JSON.stringify(parsed));
    const bad = await stella(["evidence", "verify", "--bundle", tampered, "--key", pub]);
    assert.equal(bad.code, 1, "an altered packet is caught offline");
    assert.match(bad.stdout + bad.stderr, /decision\.outcome/);

    const audit = await ok("admin", ["audit", "--user", "carol", "-n", NS]);
    assert.match(audit, /carol\s+create\s+promotions\/approval/);
  });
});
