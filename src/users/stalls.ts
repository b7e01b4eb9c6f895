// Event-loop stalls: a task that blocks the loop (a CPU loop, a big synchronous parse) stops
// heartbeats, reports and every other user. One cheap interval measures how late it fires;
// nothing is added per request. Locust's master marks a worker missing after about 4 s without
// heartbeats (HEARTBEAT_LIVENESS 3, checked every second).
import type { Activity } from "./activity.ts";

/** A timer this late means the loop was blocked. */
export const STALL_MS = 1_000;
/** How often the watch timer fires; its lateness is the stall. */
export const STALL_CHECK_MS = 500;
/** Stalls in a row are summed into one line per this period, so a task blocking every time cannot flood the log. */
export const STALL_LOG_EVERY_MS = 10_000;
/** From about here, the master stops hearing heartbeats for long enough to call the worker missing. */
export const MISSING_AFTER_MS = 4_000;

export interface StallSuspects {
  /** Tasks running as the stall ended, by name, with how many users run each. */
  inFlight: ReadonlyMap<string, number>;
  /** The last task any user started: a task that blocked without ever awaiting has ended by then. */
  lastStarted?: string;
}

export interface StallWatchOptions {
  now: () => number;
  /** Calls fn every ms until the returned stop is called (the shell's timer). */
  every: (ms: number, fn: () => void) => () => void;
  /** Read only when a stall is found. */
  suspects: () => StallSuspects;
  warn: (message: string) => void;
  /**
   * The process's CPU time in ms (process.cpuUsage), read at every check: a stall during which it
   * barely moved was not a task computing but the process paused (SIGSTOP, a suspended VM or
   * container) or starved by the machine. Without it every stall is blamed on the tasks.
   */
  cpuMs?: () => number;
  checkMs?: number;
  stallMs?: number;
  logEveryMs?: number;
}

/** Below this share of the stall spent on CPU, the process was not running: paused or starved. */
export const PAUSED_CPU_SHARE = 0.25;

/** This process's CPU time (user + system) in ms. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** What a stall warning names: the tasks running now (from the users' activities) and the last one started. */
export function stallSuspects(activities: Iterable<Activity>, lastStarted: string | null): StallSuspects {
  const inFlight = new Map<string, number>();
  for (const a of activities) if (a.task !== null) inFlight.set(a.task, (inFlight.get(a.task) ?? 0) + 1);
  return { inFlight, lastStarted: lastStarted ?? undefined };
}

/** The warning for one stall (or the worst of several, with their count). */
export function stallMessage(stallMs: number, suspects: StallSuspects, more = 0): string {
  const seconds = (stallMs / 1000).toFixed(1);
  const { inFlight, lastStarted } = suspects;
  const tasks = [...inFlight]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([task, n]) => (n > 1 ? `"${task}" (${n} users)` : `"${task}"`));
  let who = lastStarted === undefined ? "" : `; last task started: "${lastStarted}"`;
  if (tasks.length > 0) who += `; tasks in flight when it ended: ${tasks.join(", ")}${inFlight.size > 5 ? ", …" : ""}`;
  const also = more > 0 ? ` (and ${more} shorter stall${more > 1 ? "s" : ""} since the last warning)` : "";
  const missing = missingNote(stallMs);
  return (
    `the event loop was blocked for ${seconds}s${who}${also}: no heartbeats, stats or requests of other users ran meanwhile.${missing} ` +
    "A task must not compute for long without awaiting: move heavy work out of the task, split it with `await ctx.sleep(0)`, or run it in a Worker"
  );
}

/**
 * The warning for a stall during which the process hardly ran: it used `cpuMs` of CPU in
 * `stallMs`. No task is named: none was computing.
 */
export function pausedMessage(stallMs: number, cpuMs: number, more = 0): string {
  const also = more > 0 ? ` (and ${more} other stall${more > 1 ? "s" : ""} since the last warning)` : "";
  const missing = missingNote(stallMs);
  return (
    `the process was paused or starved of CPU for ${(stallMs / 1000).toFixed(1)}s${also}: it used ${(cpuMs / 1000).toFixed(1)}s of CPU ` +
    "meanwhile, so no task was computing; it was stopped (SIGSTOP, a suspended VM or container) or the machine gave it no CPU " +
    `(an overloaded host, a CPU limit). No heartbeats, stats or requests ran meanwhile.${missing} ` +
    "Give the worker a CPU of its own, or fewer users per worker"
  );
}

/** Starts the watch; returns its stop. */
export function watchStalls(opts: StallWatchOptions): () => void {
  const checkMs = opts.checkMs ?? STALL_CHECK_MS;
  const stallMs = opts.stallMs ?? STALL_MS;
  const logEveryMs = opts.logEveryMs ?? STALL_LOG_EVERY_MS;
  const cpuMs = opts.cpuMs;
  let last = opts.now();
  let lastCpu = cpuMs?.() ?? 0;
  let loggedAt = -Infinity;
  let worst = 0;
  let worstCpu = 0; // the CPU the worst stall used: it decides which warning the period gets
  let count = 0;
  const message = (suspects: StallSuspects) =>
    cpuMs && worstCpu < worst * PAUSED_CPU_SHARE ? pausedMessage(worst, worstCpu, count - 1) : stallMessage(worst, suspects, count - 1);
  return opts.every(checkMs, () => {
    const now = opts.now();
    const late = now - last - checkMs;
    const cpu = cpuMs?.() ?? 0;
    const used = cpu - lastCpu;
    last = now;
    lastCpu = cpu;
    if (late >= stallMs) {
      count++;
      if (late > worst) {
        worst = late;
        worstCpu = used;
      }
      if (now - loggedAt < logEveryMs) return;
      opts.warn(message(opts.suspects()));
    } else if (count === 0 || now - loggedAt < logEveryMs) {
      return;
    } else {
      // Stalls held back since the last line: say so once the period is over.
      opts.warn(message({ inFlight: new Map() }));
    }
    loggedAt = now;
    worst = 0;
    worstCpu = 0;
    count = 0;
  });
}

/** What a stall this long did to the worker's place at the master (nothing, under about 4 s). */
function missingNote(stallMs: number): string {
  return stallMs >= MISSING_AFTER_MS
    ? " The master marks a worker missing after about 4 s without heartbeats: it did not hear this one meanwhile."
    : "";
}
