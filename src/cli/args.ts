// Strict flag checking: citty accepts unknown flags silently, but a mistyped flag must stop
// the worker with a message that names it and says what is valid.
import type { ArgsDef } from "citty";
import { LoadworkerError } from "../errors.ts";

// The worker, `locustfile` and `run` read --host alike; standalone/ takes it from http/, below both.
export { parseHostUrl } from "../http/host-url.ts";

export function rejectUnknownFlags(rawArgs: readonly string[], args: ArgsDef, command: string): void {
  const known = new Set<string>(["help", "h", "version", "v"]);
  const valued = new Set<string>();
  const booleans = new Set<string>();
  // A command that declares a positional argument (`loadworker run Shopper`) takes bare words.
  const positionals = Object.values(args).some((def) => def.type === "positional");
  for (const [name, def] of Object.entries(args)) {
    const alias = "alias" in def ? def.alias : undefined;
    const names = [name, ...(Array.isArray(alias) ? alias : alias ? [alias] : [])];
    for (const n of names) {
      known.add(n);
      if (def.type === "string" || def.type === "enum") valued.add(n);
      if (def.type === "boolean") booleans.add(n);
    }
  }
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") break;
    if (!arg.startsWith("-")) {
      if (positionals) continue;
      throw new LoadworkerError("E_USAGE", `unexpected argument "${arg}" for ${command}; see --help`);
    }
    const name = arg.replace(/^-{1,2}/, "").split("=")[0] as string;
    // citty reads --no-X as X=false: only a boolean flag can take that form (--no-loglevel would crash).
    const negated = name.startsWith("no-") && booleans.has(name.slice(3));
    if (!known.has(name) && !negated) {
      const flags = Object.keys(args).map((n) => `--${n}`).join(", ");
      throw new LoadworkerError("E_USAGE", `unknown flag "${arg}" for ${command}; valid flags: ${flags}, --help`);
    }
    if (valued.has(name) && !arg.includes("=")) {
      const value = rawArgs[i + 1];
      if (value === undefined || value.startsWith("--")) throw new LoadworkerError("E_USAGE", `${arg} needs a value; see --help`);
      i++;
    }
  }
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
