// The public API of the promotion controller, listed by hand.

export {
  addPromotionController,
  DEFAULT_LIMITS,
  promotionChanged,
  type PromotionControllerOptions,
} from "./controller.ts";
export {
  addAutoPromoteController,
  AutoPromoteReconciler,
  type AutoPromoteControllerOptions,
  type AutoPromoteDeps,
} from "./auto-promote-controller.ts";
export { AUTO_PROMOTED_LABEL, autoPromotion, autoPromotionCandidate, autoPromotionName } from "./auto-promote.ts";
export { PromotionReconciler } from "./reconciler.ts";
export type { PromotionDeps, PromotionLimits } from "./deps.ts";
export { PROMOTION_ACTOR, policyOf } from "./evidence.ts";
export { deploymentFor } from "./deploy-phase.ts";
