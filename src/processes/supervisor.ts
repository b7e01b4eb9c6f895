// Runs N copies of one command as child processes and keeps them running, like Locust's
// --processes: each child is a whole worker (its own identity and stats). The parent forwards
// SIGINT/SIGTERM, restarts a child that dies unexpectedly (with backoff, logged with its exit
// code or signal), and ends once every child has ended: with 0 after a master's quit (every
// child exits 0) or after a forwarded signal. Children get their stdin from the parent, so they
// notice when it is gone, however it died (orphan.ts), and never outlive it.
import type { ChildProcess } from "node:child_process";
import type { Logger } from "../log.ts";
import { isDeno } from "../platform/bun.ts";
import { DEFAULT_RESTART, type RestartPolicy, restartDelay } from "./backoff.ts";

/** Set in every child's environment: "i/N" (1-based). A child sees it and runs as one of N (fork.ts processSlot). */
export const PROCESS_ENV = "LOADWORKER_PROCESS";

export interface SuperviseOptions {
  /** How many children to keep running. */
  count: number;
  /** The executable and arguments of one child (`relaunchCommand()` gives this binary's own). */
  command: readonly [string, ...string[]];
  log: Logger;
  /** Extra environment for the children (the parent's is inherited). */
  env?: Record<string, string>;
  /** false: a child that dies stays dead (`loadworker run` ends the run instead). */
  restart?: RestartPolicy | false;
  /** "pipe": the children's stdout and stderr come to `onStart`'s child instead of the parent's. */
  output?: "inherit" | "pipe";
  /** Each child as it starts (1-based index), e.g. to read its stdout. */
  onStart?: (index: number, child: ChildProcess) => void;
  /** After a forwarded signal, how long children get to send their final stats before SIGKILL (ms). */
  stopGraceMs?: number;
}

export interface Supervisor {
  /** Resolves with the exit code for the parent once every child has ended and none will restart. */
  readonly done: Promise<number>;
  /** The children running now (pids), for tests and logs. */
  pids(): number[];
  /** Forwards `signal` to every child and restarts none from now on (what SIGINT/SIGTERM do). */
  stop(signal?: NodeJS.Signals): void;
}

interface Slot {
  index: number;
  child: ChildProcess | undefined;
  startedAt: number;
  streak: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Starts `count` children and supervises them; installs SIGINT/SIGTERM handlers that forward to
 * them (removed when done). Used by the worker's `--processes` (fork.ts) and by
 * `run --processes` (run/parent.ts, without restarts).
 */
export function superviseProcesses(opts: SuperviseOptions): Supervisor {
  const policy = opts.restart === false ? undefined : (opts.restart ?? DEFAULT_RESTART);
  const [file, ...args] = opts.command;
  const slots: Slot[] = Array.from({ length: opts.count }, (_, i) => ({
    index: i + 1,
    child: undefined,
    startedAt: 0,
    streak: 0,
    timer: undefined,
  }));
  let stopping = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const name = (slot: Slot) => `worker process ${slot.index}/${opts.count}`;

  const start = (slot: Slot) => {
    slot.timer = undefined;
    const env = { ...process.env, ...opts.env, [PROCESS_ENV]: `${slot.index}/${opts.count}` };
    // detached: a process group of its own, so a signal to the parent's group (supervisord's
    // stopasgroup, Ctrl-C in a terminal) reaches it once, forwarded, not twice (twice = exit now).
    // Loaded here, not imported: a worker that never supervises would pay RSS for it.
    const child = process
      .getBuiltinModule("node:child_process")
      .spawn(file, args, { env, stdio: ["pipe", opts.output ?? "inherit", opts.output ?? "inherit"], detached: true });
    slot.child = child;
    opts.onStart?.(slot.index, child);
    slot.startedAt = Date.now();
    child.stdin?.on("error", () => {}); // a child that died closes its end; nothing is written anyway
    child.once("error", (error) => {
      // A child that could not be started never emits exit: count it as one that failed.
      opts.log.error(`${name(slot)} could not start: ${error.message}`);
      exited(slot, child, 127, null);
    });
    child.once("exit", (code, signal) => exited(slot, child, code, signal));
    opts.log.debug(`${name(slot)} started (pid ${child.pid})`);
  };

  const exited = (slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (slot.child !== child) return;
    slot.child = undefined;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping || code === 0 || !policy) {
      opts.log.debug(`${name(slot)} (pid ${child.pid}) exited with ${how}`);
    } else {
      const ranMs = Date.now() - slot.startedAt;
      const next = restartDelay(policy, slot.streak + 1, ranMs);
      slot.streak = next.streak;
      opts.log.warn(`${name(slot)} (pid ${child.pid}) exited with ${how}; restarting it in ${(next.delayMs / 1000).toFixed(1)}s`);
      slot.timer = setTimeout(() => start(slot), next.delayMs);
    }
    settle();
  };

  const settle = () => {
    if (slots.some((s) => s.child || s.timer)) return;
    if (killTimer) clearTimeout(killTimer);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    resolveDone(0);
  };

  const stop = (signal: NodeJS.Signals = "SIGTERM") => {
    stopping = true;
    for (const slot of slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = undefined;
      slot.child?.kill(signal);
    }
    killTimer ??= setTimeout(() => {
      for (const slot of slots) {
        if (!slot.child) continue;
        opts.log.warn(`${name(slot)} (pid ${slot.child.pid}) did not exit within ${(opts.stopGraceMs ?? 10_000) / 1000}s; killing it`);
        slot.child.kill("SIGKILL");
      }
    }, opts.stopGraceMs ?? 10_000);
    settle();
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal);

  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  for (const slot of slots) start(slot);
  opts.log.info(`started ${opts.count} worker processes`);
  return { done, stop, pids: () => slots.flatMap((s) => (s.child?.pid ? [s.child.pid] : [])) };
}

/**
 * The command that runs this program again with `args`: the compiled binary runs itself; from
 * source, the runtime runs the same entry file (Bun: `bun file`; Deno: `deno run -A file`).
 */
export function relaunchCommand(args: readonly string[]): [string, ...string[]] {
  const entry = process.argv[1] ?? "";
  // A compiled Bun binary's entry lives in its embedded file system ("/$bunfs/…", "B:/~BUN/…").
  if (entry.startsWith("/$bunfs/") || entry.includes("~BUN")) return [process.execPath, ...args];
  if (isDeno) return [process.execPath, "run", "-A", entry, ...args];
  return [process.execPath, entry, ...args];
}
