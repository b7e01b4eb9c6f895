// The pool's client factory: one HttpClient per user, with the class's HTTP settings.
import type { Clock } from "../clock.ts";
import { HttpClient } from "../http/index.ts";
import type { TracingSlot } from "../http/tracing.ts";
import type { Recorder } from "../stats/recorder.ts";
import type { PoolOptions } from "./pool.ts";
import { lateAwareRecorder } from "./open/late.ts";

/** `tracing`: where telemetry puts its tracer (src/otel/), read by every call of these clients. */
export function userClients(recorder: Recorder, clock: Clock, tracing?: TracingSlot): PoolOptions["makeClient"] {
  return (host, kill, http, activity) => {
    // An open-model user's requests are timed from the scheduled start when it started late.
    const own = activity?.lateMs === undefined ? recorder : lateAwareRecorder(recorder, activity);
    const client = new HttpClient({ ...http, baseUrl: host, recorder: own, clock, user: activity, tracing });
    // A kill aborts the requests in flight and any the killed task still tries, but leaves the
    // client usable: Locust runs on_stop after killing a user, and a logout there needs the
    // user's connection and cookies.
    kill.addEventListener("abort", () => client.kill(kill.reason), { once: true });
    return client;
  };
}
