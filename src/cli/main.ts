// The loadworker command line. citty dispatches the subcommands (`worker` is the default, so
// `loadworker --master-host …` runs it); here every command gets strict flags and --help, and
// errors become messages and exit codes at one place. A new command is one entry in COMMANDS.
import { type ArgsDef, type CommandDef, type CommandContext, defineCommand, renderUsage, runCommand } from "citty";
import { stripVTControlCharacters } from "node:util";
import pkg from "../../package.json" with { type: "json" };
import { dataDefinitions, loadFeeders } from "../data/registry.ts";
import { LoadworkerError } from "../errors.ts";
import type { LoadedTasks } from "../project/load.ts";
import { type LoadPlan, planSource } from "../project/plan-source.ts";
import { firstPositional, rejectUnknownFlags } from "./args.ts";
import { buildCommand } from "./build.ts";
import { demoTargetCommand } from "./demo-target.ts";
import { usageText } from "./usage-text.ts";
import { initCommand } from "./init.ts";
import { locustfileCommand } from "./locustfile.ts";
import { processArgv } from "../processes/fork.ts";
import { standaloneRunCommand } from "./run.ts";
import { workerArgs, workerCommand } from "./worker.ts";

// Each command's flags are its own ArgsDef type, and CommandDef<T> is invariant in T (run takes a
// context of T), so only `any` holds them all in one table.
// biome-ignore lint/suspicious/noExplicitAny: a table of commands with different flags, see above
type AnyCommand = CommandDef<any>;

const COMMANDS: Record<string, (plan: LoadPlan) => AnyCommand> = {
  worker: workerCommand,
  locustfile: locustfileCommand,
  "demo-target": () => demoTargetCommand,
  run: standaloneRunCommand,
  init: () => initCommand,
  build: buildCommand,
};
const DEFAULT_COMMAND = "worker";
const COMMAND_LIST = Object.keys(COMMANDS).map((name) => (name === DEFAULT_COMMAND ? `${name} (the default)` : name));

/** Thrown from a command to print its usage instead of running it. */
class HelpRequested {
  constructor(
    readonly command: AnyCommand,
    readonly parent?: AnyCommand,
  ) {}
}

const wantsHelp = (args: readonly string[]) => args.includes("--help") || args.includes("-h");
// Anywhere on the line, like --help: otherwise `--loglevel debug --version` starts a worker.
const wantsVersion = (args: readonly string[]) => args.includes("--version") || args.includes("-v");

/** Runs the command line; `tasks` loads the entry's own tasks (compiled in, or tasks/) unless --tasks names others. */
export async function runCli(tasks: () => Promise<LoadedTasks>, argv: string[]): Promise<number> {
  // data/'s feeders and distributors add their message handlers and master-side Python; their
  // files are read and checked once the plan is built, so a malformed one stops the start (exit 2).
  const plan = planSource(tasks, { extras: dataDefinitions, onPlan: loadFeeders });
  // `locustfile` only writes master.py and `build` only checks the folder before compiling: neither
  // needs a data file where it runs (a feeder may name one that only the binary's machine has).
  const definitions = planSource(tasks, { extras: dataDefinitions });
  let exitCode = 0;
  const root: AnyCommand = defineCommand({
    meta: { name: "loadworker", version: pkg.version, description: "Runs TypeScript load-test tasks as a worker of a Locust master" },
    // The default command's flags, so that `loadworker --master-host h` is not read as a command named "h".
    args: workerArgs,
    default: DEFAULT_COMMAND,
    setup: ({ rawArgs }) => {
      const at = firstPositional(rawArgs, workerArgs);
      if (at < 0 || (rawArgs[at] as string) in COMMANDS) return;
      if (wantsHelp(rawArgs)) throw new HelpRequested(root);
      rejectUnknownFlags(rawArgs, workerArgs, "loadworker", { commands: COMMAND_LIST, others: otherFlags(DEFAULT_COMMAND) }); // names the stray argument or flag
    },
  });
  const strict = (name: string, command: AnyCommand): AnyCommand => ({
    ...command,
    run: async (context: CommandContext<ArgsDef>) => {
      const { rawArgs } = context;
      const isDefault = name === DEFAULT_COMMAND;
      if (wantsHelp(rawArgs)) throw isDefault ? new HelpRequested(root) : new HelpRequested(command, root);
      // Every command: `loadworker run --version` must not start a run.
      if (wantsVersion(rawArgs)) {
        process.stdout.write(`${pkg.version}\n`);
        return;
      }
      // citty ignores unknown flags: every command is as strict as the worker.
      rejectUnknownFlags(rawArgs, (command.args ?? {}) as ArgsDef, isDefault ? "loadworker" : `loadworker ${name}`, {
        others: otherFlags(name),
      });
      const result = await command.run?.(context);
      exitCode = typeof result === "number" ? result : 0;
    },
  });
  const commands = Object.fromEntries(
    Object.entries(COMMANDS).map(([name, make]) => [name, make(name === "locustfile" || name === "build" ? definitions : plan)]),
  );
  // A flag of another command names that command (`loadworker -u 5`: -u is `loadworker run`'s).
  const otherFlags = (name: string) =>
    Object.fromEntries(
      Object.entries(commands)
        .filter(([other]) => other !== name)
        .map(([other, c]) => [other, (c.args ?? {}) as ArgsDef]),
    );
  root.subCommands = Object.fromEntries(Object.entries(commands).map(([name, command]) => [name, strict(name, command)]));
  try {
    await runCommand(root, { rawArgs: processArgv(argv) });
    return exitCode;
  } catch (error) {
    if (error instanceof HelpRequested) return printUsage(error);
    return reportError(error);
  }
}

// citty colours its usage even into a pipe or a file, and pads it past any terminal's width:
// plain text, laid out for the terminal's columns (usage-text.ts).
async function printUsage({ command, parent }: HelpRequested): Promise<number> {
  const usage = stripVTControlCharacters(await renderUsage(command, parent));
  process.stdout.write(`${usageText(usage, process.stdout.columns ?? 80)}\n`);
  return 0;
}

// What the user typed or wrote is wrong: a flag, a task name, a task file or a definition in one,
// a file init would overwrite. All stop before any load.
const USAGE_ERRORS = new Set(["E_USAGE", "E_UNKNOWN_TASK", "E_TASKS", "E_CONFIG", "E_EXISTS", "E_PROTO"]);

function reportError(error: unknown): number {
  if (error instanceof LoadworkerError) {
    process.stderr.write(`loadworker: ${error.message} [${error.code}]\n`);
    // A task name that does not exist is a typo on the command line, like a wrong flag.
    return USAGE_ERRORS.has(error.code) ? 2 : 1;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`loadworker: unexpected error: ${message}\n`);
  return 1;
}
