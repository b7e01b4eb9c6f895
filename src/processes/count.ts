// --processes N, with Locust's meaning: how many worker processes one command starts; -1 is one
// per CPU core this process may run on (its affinity, as `taskset` or a container's cpuset set it).
import { availableParallelism } from "node:os";
import { LoadworkerError } from "../errors.ts";

/** The cores this process may use; what `--processes -1` starts. */
export const usableCores = (): number => Math.max(1, availableParallelism());

/** Parses a --processes value: a whole number ≥ 1, or -1 for `cores`. Throws a usage error otherwise. */
export function parseProcessCount(value: string | undefined, cores: number, flag = "--processes"): number {
  const text = String(value ?? "").trim();
  if (text === "-1") return cores;
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 1024) return Number(text);
  throw new LoadworkerError(
    "E_USAGE",
    `${flag} must be a number of worker processes from 1 to 1024, or -1 for one per CPU core (${cores} here), got "${value ?? ""}"`,
  );
}
