// Strict flag checking: citty accepts unknown flags silently, but a mistyped flag must stop
// the command with a message that names it and says what is valid (and which command has it).
// Also the flag parsers the commands share: ports, the master host, list flags.
import { isIPv6 } from "node:net";
import type { ArgsDef } from "citty";
import { LoadworkerError } from "../errors.ts";

// The worker, `locustfile` and `run` read --host alike; standalone/ takes it from http/, below both.
export { parseHostUrl } from "../http/host-url.ts";

/** The target host from the environment, as Locust reads LOCUST_HOST: it keeps a password off the command line (`ps`). */
export const HOST_ENV = "LOADWORKER_HOST";

/**
 * Where the target host comes from: `--host` if given (the flag wins, as in Locust), else
 * LOADWORKER_HOST; `name` is what a usage error about it names.
 */
export function hostInput(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { value: string | undefined; name: string } {
  return flag !== undefined ? { value: flag, name: "--host" } : { value: env[HOST_ENV], name: HOST_ENV };
}

/** What a command's flag check may say beyond its own flags. */
export interface FlagHints {
  /** The subcommands a bare word may name (the root's: `loadworker walk` is an unknown command). */
  commands?: readonly string[];
  /** The other commands' flags, to say where a flag belongs (`loadworker -u 5` → `loadworker run`). */
  others?: Readonly<Record<string, ArgsDef>>;
}

/** A command's flags by every name they go by (aliases too); positional arguments are not flags. */
function flagNames(args: ArgsDef): Map<string, string> {
  const names = new Map<string, string>(); // name or alias → type
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const alias = "alias" in def ? def.alias : undefined;
    for (const n of [name, ...(Array.isArray(alias) ? alias : alias ? [alias] : [])]) names.set(n, def.type ?? "string");
  }
  return names;
}

export function rejectUnknownFlags(rawArgs: readonly string[], args: ArgsDef, command: string, hints: FlagHints = {}): void {
  const flags = flagNames(args);
  const known = new Set<string>(["help", "h", "version", "v", ...flags.keys()]);
  const isValued = (n: string) => flags.get(n) === "string" || flags.get(n) === "enum";
  const isBoolean = (n: string) => flags.get(n) === "boolean";
  const help = `see ${command} --help`;
  // A command that declares a positional argument (`loadworker run Shopper`) takes bare words.
  const positionals = Object.values(args).some((def) => def.type === "positional");
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") break;
    if (!arg.startsWith("-")) {
      if (positionals) continue;
      if (hints.commands)
        throw new LoadworkerError("E_USAGE", `unknown command "${arg}"; the commands are ${hints.commands.join(", ")}; ${help}`);
      throw new LoadworkerError("E_USAGE", `unexpected argument "${arg}" for ${command}; ${help}`);
    }
    const name = arg.replace(/^-{1,2}/, "").split("=")[0] as string;
    // citty reads --no-X as X=false: only a boolean flag can take that form (--no-loglevel would crash).
    const negated = name.startsWith("no-") && isBoolean(name.slice(3));
    if (!known.has(name) && !negated) {
      const owners = Object.entries(hints.others ?? {})
        .filter(([, other]) => flagNames(other).has(name))
        .map(([owner]) => owner);
      const next = rawArgs[i + 1];
      const example = !arg.includes("=") && next !== undefined && !next.startsWith("-") ? `${arg} ${next}` : arg;
      const where =
        owners.length > 0
          ? `; it is a flag of ${owners.map((o) => `"loadworker ${o}"`).join(" and ")}, e.g. loadworker ${owners[0]} ${example}`
          : "";
      const valid = [
        ...Object.keys(args)
          .filter((n) => args[n]?.type !== "positional")
          .map((n) => `--${n}`),
        "--help",
      ].join(", ");
      throw new LoadworkerError("E_USAGE", `unknown flag "${arg}" for ${command}${where}; valid flags: ${valid}`);
    }
    // citty reads "--abort-on-fail=no" as true: a switch takes no value.
    if ((isBoolean(name) || negated) && arg.includes("=")) {
      throw new LoadworkerError("E_USAGE", `${arg.split("=")[0]} is a switch and takes no value: write it alone; got "${arg}"`);
    }
    if (isValued(name) && !arg.includes("=")) {
      const value = rawArgs[i + 1];
      // "-t" after "-u" is the next flag, not -u's value; "-5" may be a (bad) value, left to its check.
      if (value === undefined || value.startsWith("--") || /^-[a-zA-Z]/.test(value))
        throw new LoadworkerError("E_USAGE", `${arg} needs a value; ${help}`);
      i++;
    }
  }
}

/**
 * --master-host: a host name or an address, as Locust's. A URL or a host:port never resolves,
 * and the worker would retry it for ever: say so at once.
 */
export function parseMasterHost(value: string): string {
  const host = value.trim();
  const example = "e.g. --master-host 127.0.0.1 or --master-host locust-master";
  if (host === "") throw new LoadworkerError("E_USAGE", `--master-host needs the Locust master's host name or address, ${example}`);
  if (host.includes("://") || host.includes("/")) {
    throw new LoadworkerError(
      "E_USAGE",
      `--master-host takes a host name or address, not a URL, ${example} (the port goes in --master-port); got "${value}"`,
    );
  }
  if (!isIPv6(host.replace(/^\[|\]$/g, "")) && host.includes(":")) {
    throw new LoadworkerError(
      "E_USAGE",
      `--master-host takes no port: write --master-host ${host.slice(0, host.lastIndexOf(":"))} --master-port ${host.slice(host.lastIndexOf(":") + 1)}; got "${value}"`,
    );
  }
  if (/\s/.test(host)) throw new LoadworkerError("E_USAGE", `--master-host may not contain spaces, ${example}; got "${value}"`);
  // "[::1]" (the URL form) would go to DNS as written and never resolve: connect to ::1.
  return /^\[.*\]$/.test(host) ? host.slice(1, -1) : host;
}

/** A TCP port from a flag; `allowZero` where 0 means "pick a free one" (a server's --port). */
export function parsePort(value: string | undefined, flag: string, { allowZero = false } = {}): number {
  const min = allowZero ? 0 : 1;
  const port = Number(value);
  if (!/^\d+$/.test(String(value)) || port < min || port > 65535) {
    throw new LoadworkerError("E_USAGE", `${flag} must be a port number from ${min} to 65535, got "${value}"`);
  }
  return port;
}

/** Index of the first positional argument (a subcommand's name), skipping flags and their values; -1 if none. */
export function firstPositional(rawArgs: readonly string[], args: ArgsDef): number {
  const valued = new Set<string>();
  for (const [name, def] of Object.entries(args)) if (def.type === "string" || def.type === "enum") valued.add(name);
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") return -1;
    if (!arg.startsWith("-")) return i;
    if (!arg.includes("=") && valued.has(arg.replace(/^-{1,2}/, ""))) i++;
  }
  return -1;
}

/**
 * A list flag read as Locust's argparse reads `nargs="*"` (`-T a b c`): every word after the flag
 * up to the next flag, from each occurrence; `--tags=a` takes just its own value. Returns the
 * values and the words citty took for positionals, which the caller leaves out of its names.
 */
export function listFlag(rawArgs: readonly string[], names: readonly string[]): { values: string[]; taken: string[] } {
  const values: string[] = [];
  const taken: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") break;
    const name = names.find((n) => arg === n || arg.startsWith(`${n}=`));
    if (name === undefined) continue;
    if (arg !== name) {
      values.push(arg.slice(name.length + 1));
      continue;
    }
    // citty gives the first word to the flag and the rest to the positionals.
    for (let first = true; i + 1 < rawArgs.length && !(rawArgs[i + 1] as string).startsWith("-"); first = false) {
      const word = rawArgs[++i] as string;
      values.push(word);
      if (!first) taken.push(word);
    }
  }
  return { values, taken };
}

/** `words` without one occurrence of each of `taken` (what listFlag consumed). */
export function withoutTaken(words: readonly string[], taken: readonly string[]): string[] {
  const left = [...words];
  for (const word of taken) {
    const at = left.indexOf(word);
    if (at >= 0) left.splice(at, 1);
  }
  return left;
}

/** `--processes` for the commands that run users (processes/fork.ts: which child this process is). */
export const processesArgs = {
  processes: {
    type: "string",
    default: "1",
    description:
      "Worker processes to start, each a whole worker with its own identity and stats (Locust's --processes); -1: one per CPU core",
  },
} satisfies ArgsDef;
