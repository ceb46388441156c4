// The public API of the controller runtime, listed by hand.

export {
  isTerminalError,
  requestKey,
  TerminalError,
  type Reconciler,
  type Request,
  type Result,
} from "./reconciler.ts";
export { Controller, type ControllerOptions, type ControllerStats, type WatchSpec } from "./controller.ts";
export { Manager, LeadershipLostError, type ManagerOptions } from "./manager.ts";
export {
  LeaderElector,
  type LeaderCallbacks,
  type LeaderElectionOptions,
  type LeaseClient,
} from "./leader-election.ts";
export { annotationsChanged, generationChanged, labelsChanged, or, passes, type Predicate } from "./predicate.ts";
export { enqueueObject, enqueueOwner, type EventMapper } from "./handler.ts";
export { silentLogger, stderrLogger, type Logger } from "./logger.ts";
export { stopOnSignals } from "./signals.ts";
export { findCondition, isTrue, removeCondition, setCondition } from "./conditions.ts";
export type { EventRecorder } from "../../sdk/events/index.ts";
export { conditionNote, normal, recordNotes, warning, type EventNote } from "./events.ts";
export { StatusWriter } from "./status-writer.ts";
