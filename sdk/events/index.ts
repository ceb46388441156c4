// The public API of the event recorder, listed by hand.

export { clientSink, Recorder, referenceTo, type EventRecorder, type EventSink, type RecorderOptions } from "./recorder.ts";
export { EventCache, type Recorded } from "./event-cache.ts";
export { SpamFilter } from "./spam-filter.ts";
