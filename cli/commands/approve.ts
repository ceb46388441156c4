// `stella approve|reject PROMOTION`: posts the decision to the promotion's approval subresource.
// The server takes the approver's identity from the kubeconfig's token and checks every rule
// (approver role, the environment's approvers, separation of duties, one decision per person);
// its refusal is printed as it says it.
import { environmentKind, type Environment } from "../../crds/environment.ts";
import type { ApprovalDecision } from "../../crds/promotion-approval.ts";
import { promotionKind, type Promotion } from "../../crds/promotion.ts";
import { decidePromotion } from "../../sdk/approval-client.ts";
import { parseFlags } from "../args.ts";
import { decisionLine } from "../approval/decision-line.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { formatObjects, parseOutput } from "../output/objects.ts";
import { objectNameArg } from "../resource-args.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  comment: { type: "string" },
  output: { type: "string", short: "o" },
  "dry-run": { type: "string" },
} as const;

const ABOUT: Record<ApprovalDecision, { name: string; summary: string; help: string }> = {
  Approved: {
    name: "approve",
    summary: "Approve a promotion (as the kubeconfig's user)",
    help: `Approve a promotion. The server records you — the user of the kubeconfig's token, never a name
you type — with the comment and the time in status.approvals, and prints the distinct approvers
so far against the environment's spec.approvals.required. Your approval is bound to the
release's digests and the environment's policy as they are now: if either changes, it no longer
counts and you may approve again.

Refused (and nothing recorded) when you lack the approver role in the namespace (403), are not
among the environment's spec.approvals.approvers (403), requested the promotion yourself while
the environment sets separationOfDuties (403), already decided this promotion (409), or the
promotion is not AwaitingApproval — its other gates still running, or it is past that — or was
rejected (409). Wait for it with
  stella wait --for=jsonpath='{.status.phase}'=AwaitingApproval promotion/NAME -n NS

Usage: stella approve PROMOTION [--comment TEXT] [-n NS] [-o name|yaml|json]

Flags:
  --comment TEXT       why; recorded with the approval and in evidence
  --dry-run=server     check every rule without recording anything
  -o, --output         name, yaml or json of the updated promotion instead of the summary line

${CONNECTION_HELP}

Examples:
  stella approve shop-1-4-0-to-prod -n shop --comment "canary metrics clean"
  stella approve promotion/shop-1-4-0-to-prod -n shop --kubeconfig ~/.kube/bob.kubeconfig`,
  },
  Rejected: {
    name: "reject",
    summary: "Reject a promotion, saying why (--comment is required)",
    help: `Reject a promotion. A rejection ends it: the promotion controller moves it to Rejected and no
further approval is taken. The server records you (from the kubeconfig's token), the comment
and the time in status.approvals. The same rules as "stella approve" apply.

Usage: stella reject PROMOTION --comment TEXT [-n NS] [-o name|yaml|json]

Flags:
  --comment TEXT       why (required)
  --dry-run=server     check every rule without recording anything
  -o, --output         name, yaml or json of the updated promotion instead of the summary line

${CONNECTION_HELP}

Examples:
  stella reject shop-1-4-0-to-prod -n shop --comment "error budget exhausted this week"`,
  },
};

/** The approvals the promotion needs: its status says once the controller saw it, else its environment's policy. */
async function requiredApprovals(session: Session, promotion: Promotion): Promise<number | undefined> {
  if (promotion.status?.approvalsRequired !== undefined) return promotion.status.approvalsRequired;
  const env = await session.client
    .resource<Environment>(environmentKind)
    .get(promotion.spec.environment, { namespace: promotion.metadata.namespace })
    .catch(() => undefined);
  return env?.spec.approvals?.required;
}

function decisionCommand(decision: ApprovalDecision): Command {
  const about = ABOUT[decision];
  return {
    name: about.name,
    summary: about.summary,
    options,
    completion: {
      argument: (positionals) => (positionals.length === 0 ? promotionKind : undefined),
      flagValues: { output: ["name", "yaml", "json"], "dry-run": ["server"] },
    },
    help: about.help,
    async run(argv) {
      const { values, positionals } = parseFlags(argv, options, true);
      if (positionals.length !== 1) throw new UsageError("give exactly one promotion name");
      const name = objectNameArg(positionals[0], promotionKind);
      const comment = values.comment?.trim() ? values.comment : undefined;
      if (decision === "Rejected" && comment === undefined) throw new UsageError('a rejection needs --comment "why"');
      if (values["dry-run"] !== undefined && values["dry-run"] !== "server")
        throw new UsageError(`--dry-run must be "server", not "${values["dry-run"]}"`);
      const output = parseOutput(values.output, ["table", "yaml", "json", "name"]);
      const session = await Session.open(values);
      try {
        const namespace = session.namespace;
        const updated = await decidePromotion(
          session.client.transport,
          name,
          { decision, ...(comment !== undefined ? { comment } : {}) },
          { namespace, dryRun: values["dry-run"] === "server" },
        );
        if (output.kind !== "table")
          process.stdout.write(formatObjects([{ info: promotionKind, object: updated }], output, { single: true }));
        else
          process.stdout.write(
            `${decisionLine(updated, await requiredApprovals(session, updated))}${values["dry-run"] ? " (server dry run)" : ""}\n`,
          );
        return EXIT.ok;
      } finally {
        session.close();
      }
    },
  };
}

/** `stella approve PROMOTION`. */
export const approveCommand: Command = decisionCommand("Approved");

/** `stella reject PROMOTION --comment TEXT`. */
export const rejectCommand: Command = decisionCommand("Rejected");
