// --processes N, with Locust's meaning: how many worker processes one command starts; -1 is one
// per CPU core this process may use: its affinity (taskset, a container's cpuset) and, as Go's
// runtime does since 1.25, a cgroup CPU quota (a container's or pod's CPU limit), rounded up.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { LoadworkerError } from "../errors.ts";

/** Cores from a cgroup quota: v2 `cpu.max` ("max 100000" or "200000 100000"), or v1 quota and period. */
export function quotaCores(cpuMax: string | undefined, v1Quota?: string, v1Period?: string): number | undefined {
  const [max, period] = (cpuMax ?? `${v1Quota ?? "max"} ${v1Period ?? ""}`).trim().split(/\s+/).map(Number);
  if (max === undefined || period === undefined || !(max > 0) || !(period > 0)) return undefined; // "max", -1: no quota
  return Math.max(1, Math.ceil(max / period));
}

const readOr = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

/** The cores this process may use; what `--processes -1` starts. */
export function usableCores(): number {
  const quota = quotaCores(
    readOr("/sys/fs/cgroup/cpu.max"),
    readOr("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
    readOr("/sys/fs/cgroup/cpu/cpu.cfs_period_us"),
  );
  return Math.max(1, Math.min(availableParallelism(), quota ?? Number.POSITIVE_INFINITY));
}

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
