// Small pieces of Promotion.status shared by the phases: conditions, the terminal phases, and
// ending a promotion. Every wait and every end sets status.message in words a person acts on.
import {
  PROMOTION_TERMINAL_PHASES,
  PromotionConditions as C,
  type PromotionPhase,
  type PromotionStatus,
} from "../../crds/promotion.ts";
import { setCondition } from "../runtime/index.ts";
import { skipUnfinished } from "./steps.ts";

/** Whether `phase` is terminal. */
export const isTerminal = (phase: PromotionPhase | undefined): boolean =>
  PROMOTION_TERMINAL_PHASES.includes(phase ?? "Pending");

/** The outcome phases. */
export type TerminalPhase = "Succeeded" | "Failed" | "Errored" | "Rejected" | "Aborted" | "Superseded";

/** The ISO form of `ms`. */
export const stamp = (ms: number): string => new Date(ms).toISOString();

/** `s` with condition `type` set. */
export function withCondition(
  s: PromotionStatus,
  type: keyof typeof C,
  status: "True" | "False" | "Unknown",
  reason: string,
  message: string,
  now: number,
  generation?: number,
): PromotionStatus {
  return {
    ...s,
    conditions: setCondition(
      s.conditions,
      {
        type: C[type],
        status,
        reason,
        message,
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
      },
      stamp(now),
    ),
  };
}

/** `s` waiting, with `message` as the promotion's message and Complete=False saying the same. */
export function waiting(s: PromotionStatus, reason: string, message: string, now: number): PromotionStatus {
  return withCondition({ ...s, message }, "Complete", "False", reason, message, now);
}

/**
 * `s` ended in `phase`: completedAt, Complete=True with the outcome, unfinished steps Skipped (notify steps still run).
 */
export function ended(
  s: PromotionStatus,
  phase: TerminalPhase,
  reason: string,
  message: string,
  now: number,
): PromotionStatus {
  const next: PromotionStatus = {
    ...s,
    phase,
    message,
    completedAt: stamp(now),
    steps: skipUnfinished(s.steps ?? [], `not run: the promotion ended ${phase}`, stamp(now)),
  };
  return withCondition(next, "Complete", "True", phase, message, now);
}
