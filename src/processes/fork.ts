// --processes for the commands that run users: which child of it this process is, and how a child
// is started (the worker and `run` both use them). forkProcesses is the worker's: in the command's
// process, decide whether to supervise N copies of this command line or to run here, as one of
// them or as the only one (`run` supervises its children itself: run/parent.ts).
import type { Logger } from "../log.ts";
import { parseProcessCount, usableCores } from "./count.ts";
import { watchParent } from "./orphan.ts";
import { hideArgs, restoreArgs } from "./child-args.ts";
import { PROCESS_ENV, relaunchCommand, superviseProcesses } from "./supervisor.ts";

export interface ProcessSlot {
  /** 1-based. */
  index: number;
  count: number;
}

/** The target and master hosts may hold a password (`--host http://u:secret@…`): the children get them in their environment, not on their command lines. */
const SECRET_FLAGS = ["--host", "--master-host"];

/** How to start a child that runs `args`: this program's command line without SECRET_FLAGS, and the environment that carries them. */
export function childLaunch(args: readonly string[]): { command: [string, ...string[]]; env: Record<string, string> } {
  const { visible, env } = hideArgs(args, SECRET_FLAGS);
  return { command: relaunchCommand(visible), env };
}

/** This process's arguments: in a child of --processes, with what the parent kept off its command line put back. */
export function processArgv(argv: readonly string[]): string[] {
  return processSlot() === undefined ? [...argv] : restoreArgs(argv, process.env);
}

/** Which child of --processes this process is, or undefined when it is not one. */
export function processSlot(): ProcessSlot | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(process.env[PROCESS_ENV] ?? "");
  return match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
}

/**
 * Validates `--processes` (a usage error if bad). In the process the user started, with N > 1:
 * starts N children running the same `rawArgs` and resolves with the code the parent exits with.
 * Otherwise returns undefined and the caller runs its worker here; in a child, `onOrphaned` is
 * called if the parent dies (the caller shuts down as on SIGTERM).
 */
export function forkProcesses(
  value: string | undefined,
  rawArgs: readonly string[],
  log: Logger,
  onOrphaned: () => void,
): Promise<number> | undefined {
  const count = parseProcessCount(value, usableCores());
  if (processSlot() !== undefined) {
    watchParent(onOrphaned);
    return undefined;
  }
  if (count === 1) return undefined;
  return superviseProcesses({ count, ...childLaunch(rawArgs), log }).done;
}
