// The public API of the release controller, listed by hand.

export { addReleaseController, type ReleaseControllerOptions } from "./controller.ts";
export { ReleaseReconciler, type ReleaseReconcilerDeps } from "./reconciler.ts";
export { ResolveReasons, type ComponentFailure } from "./failures.ts";
export { DEFAULT_PUBLIC_KEY, DEFAULT_VERIFIER, VerifyReasons } from "./verify.ts";
export { REGISTRY_ANNOTATION } from "../oci/index.ts";
export { RetrySchedule, type RetryClass, type RetryOptions } from "./retry.ts";
