// Latency that a late start cannot hide (coordinated omission): when an open-model iteration
// starts after its scheduled time, its first request is recorded from the scheduled start, as
// wrk2 and autocannon time requests from their intended send time. The request's own time stays
// on the response (response.elapsedMs). Later requests of the iteration follow the first one's
// answer, so they keep their own times.
import type { Recorder } from "../../stats/recorder.ts";
import type { Activity } from "../activity.ts";

/** The user's recorder, adding the iteration's lateness (activity.lateMs) to its next request once. */
export function lateAwareRecorder(recorder: Recorder, activity: Activity): Recorder {
  const late = () => {
    const ms = activity.lateMs ?? 0;
    if (ms > 0) activity.lateMs = 0;
    return ms;
  };
  return {
    success: (method, name, ms, length, task) => recorder.success(method, name, ms + late(), length, task),
    failure: (method, name, ms, error, length, task) => recorder.failure(method, name, ms + late(), error, length, task),
  };
}
