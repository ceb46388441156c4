// The parts of a webhook payload that name a promotion and its release's digests, shared by the
// webhook gate and the webhook notifier. Never secrets: only names, identities and digests.
import type { Promotion } from "../../../crds/promotion.ts";
import type { Release } from "../../../crds/release.ts";

/** Which promotion a payload is about. */
export interface PromotionRef {
  name: string;
  namespace: string;
  uid?: string;
}

/** One component's image, pinned by digest. */
export interface ImageDigest {
  component: string;
  /** repository@sha256:... */
  image: string;
  digest: string;
}

/** The promotion's name, namespace and uid. */
export function promotionRef(promotion: Promotion): PromotionRef {
  return {
    name: promotion.metadata.name ?? "",
    namespace: promotion.metadata.namespace ?? "default",
    uid: promotion.metadata.uid,
  };
}

/** The release's resolved digests, one per component, in component order (empty before resolution). */
export function releaseDigests(release: Release): ImageDigest[] {
  return (release.status?.components ?? []).map((c) => ({ component: c.name, image: c.imageRef, digest: c.digest }));
}
