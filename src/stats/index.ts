// The stats layer's public surface: Locust-exact request statistics as data.
export { bucketResponseTime, roundHalfEven } from "./bucket.ts";
export { errorKey, errorText, pythonRepr } from "./errors.ts";
export type { ErrorRow } from "./errors.ts";
export type { Recorder, ScheduleRecorder } from "./recorder.ts";
export type { StatsEntryReport, StatsErrorReport, StatsReport } from "./report.ts";
export { DROPPED_ERROR, LATE_ERROR, SCHEDULE_METHOD, createStats } from "./stats.ts";
export type { RequestListener, Stats } from "./stats.ts";
