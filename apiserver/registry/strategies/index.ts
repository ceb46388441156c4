// The per-kind strategies, listed by hand.
import type { Strategy } from "../strategy.ts";
import { namespaceStrategy } from "../namespaces.ts";
import { artifactStrategy } from "./artifact.ts";
import { deploymentStrategy } from "./deployment.ts";
import { eventStrategy } from "./event.ts";
import { environmentStrategy } from "./environment.ts";
import { evidencePacketStrategy } from "./evidence-packet.ts";
import { promotionStrategy } from "./promotion.ts";
import { releaseStrategy } from "./release.ts";
import { secretStrategy } from "./secret.ts";

/** Strategies keyed by kind. */
export const strategies: Record<string, Strategy> = {
  Release: releaseStrategy,
  EvidencePacket: evidencePacketStrategy,
  Artifact: artifactStrategy,
  Promotion: promotionStrategy,
  Deployment: deploymentStrategy,
  Environment: environmentStrategy,
  Namespace: namespaceStrategy,
  Secret: secretStrategy,
  Event: eventStrategy,
};
