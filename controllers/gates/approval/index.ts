// The approval gate: distinct people's decisions, made through the promotion's approval
// subresource, counted against the environment's approval policy.
export { approvalGate, countApprovals, rejectionMessage, type ApprovalCount } from "./gate.ts";
