// The public API of the event recorder, listed by hand.

export { clientSink, Recorder, referenceTo } from "./recorder.ts";
export type { EventRecorder, EventSink, RecorderOptions } from "./recorder.ts";
export { EventCache, type Recorded } from "./event-cache.ts";
export { SpamFilter } from "./spam-filter.ts";
