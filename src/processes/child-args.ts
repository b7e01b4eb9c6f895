// Flags that may carry a secret (a password in `--host http://user:pass@…`) do not go on a
// child's command line, which every user of the machine can read (`ps`, /proc/PID/cmdline): the
// parent moves them into the child's environment, which only the same user (and root) can read,
// and the child puts them back before it parses its arguments.
import { LoadworkerError } from "../errors.ts";

/** In a child's environment: the arguments kept off its command line, as a JSON array of strings. */
export const CHILD_ARGS_ENV = "LOADWORKER_CHILD_ARGS";

/**
 * Splits `args` into what may be shown and what goes in `CHILD_ARGS_ENV`: every occurrence of
 * the given long flags (`--host V` and `--host=V`), up to a `--` that ends the flags.
 */
export function hideArgs(args: readonly string[], flags: readonly string[]): { visible: string[]; env: Record<string, string> } {
  const visible: string[] = [];
  const hidden: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      visible.push(...args.slice(i));
      break;
    }
    if (flags.includes(arg)) {
      hidden.push(arg);
      // Its value, unless the flag is last or followed by another flag: the child then refuses it as the parent would have.
      const value = args[i + 1];
      if (value !== undefined && !value.startsWith("--")) {
        hidden.push(value);
        i++;
      }
    } else if (flags.some((flag) => arg.startsWith(`${flag}=`))) hidden.push(arg);
    else visible.push(arg);
  }
  return { visible, env: hidden.length > 0 ? { [CHILD_ARGS_ENV]: JSON.stringify(hidden) } : {} };
}

/**
 * The child's arguments with the hidden ones put back (before a `--`, where flags end), and the
 * variable removed from `env` so that nothing the child starts inherits it. Throws on a value
 * that is not what hideArgs writes.
 */
export function restoreArgs(argv: readonly string[], env: Record<string, string | undefined>): string[] {
  const raw = env[CHILD_ARGS_ENV];
  if (raw === undefined) return [...argv];
  delete env[CHILD_ARGS_ENV];
  let hidden: unknown;
  try {
    hidden = JSON.parse(raw);
  } catch {
    hidden = undefined;
  }
  if (!Array.isArray(hidden) || !hidden.every((a) => typeof a === "string")) {
    throw new LoadworkerError(
      "E_USAGE",
      `${CHILD_ARGS_ENV} must be a JSON array of strings; it is set by the parent of --processes: unset it`,
    );
  }
  const end = argv.indexOf("--");
  return end < 0 ? [...argv, ...hidden] : [...argv.slice(0, end), ...hidden, ...argv.slice(end)];
}
