// A task (or a task file's top level) that never awaits (`while (true) {}`) blocks the one JavaScript thread for good: the run
// time, Ctrl-C's handler and the master's heartbeats all wait behind it, and SIGINT/SIGTERM cannot
// end the process (their handlers are JavaScript too). users/stalls.ts can only speak once a
// stall ends. This watchdog runs on its own thread: the main thread bumps a shared counter every
// BEAT_MS; when the counter stops moving, the watchdog says so on stderr and, past the limit,
// kills the process (a worker thread cannot exit it any other way), so nobody needs `kill -9`.
import process from "node:process";

const BEAT_MS = 250;
/** Warn once the thread has been blocked this long. */
const WARN_AFTER_S = 10;
/** Default limit: past it, the process is killed. */
export const BLOCKED_LIMIT_S = 60;

// The watchdog's own code: a module from a Blob URL, so the compiled binary needs no second entry.
// Blocked time is counted in the watchdog's own ticks, not the wall clock: a process that was
// paused whole (SIGSTOP, a suspended VM) paused this thread too and is not killed on waking.
const WATCHDOG = `
import { writeSync } from "node:fs";
import process from "node:process";
self.onmessage = ({ data: { beat, tickMs, warnAfterS, limitS } }) => {
  let last = Atomics.load(beat, 0);
  let ticks = 0;
  const say = (text) => writeSync(2, "loadworker: " + text + "\\n");
  setInterval(() => {
    const now = Atomics.load(beat, 0);
    if (now !== last) {
      last = now;
      ticks = 0;
      return;
    }
    ticks += 1;
    const blockedS = (ticks * tickMs) / 1000;
    if (blockedS === warnAfterS && blockedS < limitS) {
      say("the JavaScript thread has been blocked for " + blockedS + "s by code that never awaits (a loop in a task, or at a task file's top level?): nothing else runs, not the run time, Ctrl-C or the master's heartbeats; the process is killed if it is still blocked at " + limitS + "s (LOADWORKER_BLOCKED_LIMIT)");
    }
    if (blockedS >= limitS) {
      say("the JavaScript thread has been blocked for " + blockedS + "s by code that never awaits (a loop in a task, or at a task file's top level?): killing the process (SIGKILL), no reports. Make it await (await ctx.sleep(0) inside a long loop), move the work to a Worker, or raise LOADWORKER_BLOCKED_LIMIT (seconds, 0: never)");
      process.kill(process.pid, "SIGKILL");
    }
  }, tickMs);
};
`;

/**
 * Starts the watchdog (once per process). `LOADWORKER_BLOCKED_LIMIT` (seconds) sets the limit;
 * 0 turns it off. Returns the warning for a value it cannot read, else undefined.
 */
export function watchBlockedLoop(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.LOADWORKER_BLOCKED_LIMIT;
  const asked = raw === undefined || raw === "" ? BLOCKED_LIMIT_S : Number(raw);
  const valid = Number.isFinite(asked) && asked >= 0;
  const warning = valid ? undefined : `LOADWORKER_BLOCKED_LIMIT=${raw}: not a number of seconds >= 0; using ${BLOCKED_LIMIT_S}`;
  const limitS = valid ? asked : BLOCKED_LIMIT_S;
  if (limitS === 0 || started) return warning;
  started = true;
  const beat = new Int32Array(new SharedArrayBuffer(4));
  try {
    const url = URL.createObjectURL(new Blob([WATCHDOG], { type: "text/javascript" }));
    const watchdog = new Worker(url, { type: "module" });
    watchdog.postMessage({ beat, tickMs: BEAT_MS, warnAfterS: WARN_AFTER_S, limitS });
    (watchdog as { unref?: () => void }).unref?.();
  } catch {
    return warning; // a runtime without module workers: no watchdog, the stall warnings remain
  }
  const timer = setInterval(() => Atomics.add(beat, 0, 1), BEAT_MS);
  (timer as { unref?: () => void }).unref?.();
  return warning;
}

let started = false;
