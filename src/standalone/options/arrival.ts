// The open model's flags (docs/open-model.md): --arrival-rate R (`50`, `50/s`, `300/m`),
// --stages "30s:50,2m:200,30s:0" (k6's ramping-arrival-rate) and --max-users N. Pure: each bad
// value is one E_USAGE error naming its flag, before anything starts.
import { LoadworkerError } from "../../errors.ts";
import type { RateStage } from "../../users/open/schedule.ts";
import { TIMESPAN_FORMATS, parseTimespan } from "./duration.ts";

export interface ArrivalOptions {
  /** Iterations per second at the start (--arrival-rate; 0 when only --stages is given). */
  readonly rate: number;
  /** The ramp from `rate` (--stages); empty: `rate` until the run ends. */
  readonly stages: readonly RateStage[];
  /** At most this many users start, as iterations need them (--max-users; default -u, else the highest rate). */
  readonly maxUsers: number;
  /** The flag that set maxUsers (`--max-users`, `-u/--users`); undefined: the default, fitted to the classes (open-plan.ts). */
  readonly maxUsersFlag?: string;
}

export interface ArrivalFlags {
  arrivalRate?: string;
  stages?: string;
  maxUsers?: string;
  /** -u as given: the default for --max-users. */
  users?: string;
  /** -r as given: the closed model's; with an arrival rate, an error (users start as iterations need them). */
  spawnRate?: string;
}

const usage = (message: string) => new LoadworkerError("E_USAGE", message);
const RATE = /^(\d+(?:\.\d+)?|\.\d+)(?:\/(s|m|h))?$/;
const PER: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Iterations per second in `50`, `50/s`, `300/m`, `10/h`; null when the text is not a rate. */
export function parseRate(text: string): number | null {
  const match = RATE.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) / (PER[match[2] ?? "s"] as number);
}

/** The stages of `30s:50,2m:200,30s:0`: each a time span and the rate to reach by its end. */
export function parseStages(text: string): RateStage[] | { error: string } {
  const parts = text.split(",").map((p) => p.trim());
  const stages: RateStage[] = [];
  for (const part of parts) {
    const [span, rate, extra] = part.split(":");
    const seconds = span === undefined ? null : parseTimespan(span.trim());
    const target = rate === undefined ? null : parseRate(rate);
    if (extra !== undefined || seconds === null || target === null) {
      return { error: `"${part}" is not DURATION:RATE (a duration such as ${TIMESPAN_FORMATS}; a rate such as 50, 50/s or 300/m)` };
    }
    if (seconds <= 0) return { error: `"${part}": a stage lasts at least 1s` };
    stages.push({ seconds, rate: target });
  }
  return stages;
}

/** The open model's options, or null for the closed model (no --arrival-rate nor --stages). */
export function parseArrival(flags: ArrivalFlags): ArrivalOptions | null {
  if (flags.arrivalRate === undefined && flags.stages === undefined) {
    if (flags.maxUsers !== undefined) throw usage("--max-users applies to the open model: give --arrival-rate R or --stages too");
    return null;
  }
  if (flags.spawnRate !== undefined) {
    const flag = flags.arrivalRate !== undefined ? "--arrival-rate" : "--stages";
    throw usage(`-r/--spawn-rate is the closed model's; with ${flag} users start as iterations need them (up to --max-users): drop -r`);
  }
  let rate = 0;
  if (flags.arrivalRate !== undefined) {
    const parsed = parseRate(flags.arrivalRate);
    if (parsed === null || !(parsed > 0)) {
      throw usage(`--arrival-rate must be iterations per second above 0, such as 50, 50/s or 300/m; got "${flags.arrivalRate}"`);
    }
    rate = parsed;
  }
  let stages: RateStage[] = [];
  if (flags.stages !== undefined) {
    const parsed = parseStages(flags.stages);
    if ("error" in parsed) throw usage(`--stages: ${parsed.error}; e.g. --stages "30s:50,2m:200,30s:0"`);
    stages = parsed;
    if (stages.every((s) => s.rate === 0) && rate === 0) throw usage("--stages: every stage has rate 0; no iteration would start");
  }
  const peak = Math.max(rate, ...stages.map((s) => s.rate));
  const maxText = flags.maxUsers ?? flags.users;
  const maxFlag = flags.maxUsers !== undefined ? "--max-users" : "-u/--users";
  const maxUsers = maxText === undefined ? Math.max(1, Math.ceil(peak)) : Number(maxText);
  if (maxText !== undefined && (!/^\+?\d+$/.test(maxText.trim()) || maxUsers < 1)) {
    throw usage(`${maxFlag} must be a whole number of users, 1 or more, got "${maxText}"`);
  }
  return { rate, stages, maxUsers, maxUsersFlag: maxText === undefined ? undefined : maxFlag };
}

/** The run time --stages give without -t: the stages, and 1 s more for their last iterations; null without stages. */
export function stagesSeconds(arrival: ArrivalOptions): number | null {
  return arrival.stages.length === 0 ? null : arrival.stages.reduce((s, st) => s + st.seconds, 0) + STAGES_GRACE_SECONDS;
}

/** The last iteration of a ramp is due as it ends: a run cut there would race it. */
export const STAGES_GRACE_SECONDS = 1;

/**
 * What --max-rps does to an open-model run whose rate goes above it (docs/open-model.md): the
 * cap holds, the iterations it holds back start late and, once every user is held, are dropped.
 * Undefined when the cap is at or above the peak rate.
 */
export function capNote(arrival: ArrivalOptions, maxRps: number): string | undefined {
  const peak = Math.max(arrival.rate, ...arrival.stages.map((s) => s.rate));
  if (!(maxRps < peak)) return undefined;
  return (
    `--max-rps ${maxRps} is below the arrival rate's peak of ${peak}/s: an iteration the cap holds back keeps its user and ` +
    `starts late (timed from its scheduled start); while all ${arrival.maxUsers} users are held, the iterations due are dropped`
  );
}
