// The public API of the sdk, listed by hand. Import from here, not from the files behind it.

export { Client } from "./client.ts";
export { loadClientConfig, resolveContext, type ClientConfig, type ContextOverrides } from "./client-config.ts";
export {
  kubeconfigPaths,
  loadKubeconfig,
  type Kubeconfig,
  type KubeconfigCluster,
  type KubeconfigContext,
  type KubeconfigSource,
  type KubeconfigUser,
  type Sourced,
} from "./kubeconfig.ts";
export { Transport, type LineStream, type Query, type RequestOptions, type TransportOptions } from "./transport.ts";
export {
  ConnectionError,
  KubeconfigInvalidError,
  KubeconfigNotFoundError,
  ResponseDecodeError,
  type ConnectionFailure,
} from "./errors.ts";
export {
  ResourceClient,
  type DeleteOptions,
  type ListOptions,
  type ObjectList,
  type ObjectOptions,
  type PatchOptions,
  type PatchType,
  type SelectOptions,
  type WatchOptions,
  type WriteOptions,
} from "./resource-client.ts";
export { resourcePath } from "./resource-path.ts";
export { decidePromotion, type DecideOptions } from "./approval-client.ts";
export { auditEventPage, auditEvents } from "./audit-client.ts";
export { isRetriable, type ResilienceOptions, type WatchEvent } from "./watch.ts";
export { Backoff, sleep, type BackoffOptions } from "./backoff.ts";
export {
  Cache,
  LABEL_INDEX,
  NAMESPACE_INDEX,
  OWNER_INDEX,
  objectKey,
  splitKey,
  type IndexFunc,
  type ReplaceDelta,
} from "./cache.ts";
export { Informer, type EventHandler, type InformerOptions } from "./informer.ts";
export { InformerFactory, type InformerScope } from "./informer-factory.ts";
export { WorkQueue, type WorkQueueOptions } from "./workqueue.ts";
export { clientSink, Recorder, referenceTo } from "./events/index.ts";
export type { EventRecorder, EventSink, RecorderOptions } from "./events/index.ts";
export {
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
  type RateLimiter,
} from "./rate-limiter.ts";
export {
  VerificationReasons,
  type RegistryManifest,
  type RegistryReader,
  type SignatureVerifier,
  type VerifyRequest,
  type VerifyResult,
} from "./plugins/signature-verifier.ts";
// API errors are crds' ApiError; re-exported so sdk users need one import.
export {
  ApiError,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isTooLarge,
  isUnauthorized,
} from "../crds/errors.ts";
