// Locust's time spans (util/timespan.py parse_timespan): `20`, `20s`, `3m`, `2h`, `1h20m`,
// `3h30m10s`: hours, minutes, seconds in that order, each optional, whole numbers only.

const PLAIN_SECONDS = /^\d+$/;
const TIMESPAN = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export const TIMESPAN_FORMATS = "20, 20s, 3m, 2h, 1h20m, 3h30m10s";
/** A longer setTimeout/setInterval fires after 1 ms (a 32-bit signed count of ms): 596h31m23s. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Seconds in a Locust time span, or null when the text is not one (the caller says what to do). */
export function parseTimespan(text: string): number | null {
  if (PLAIN_SECONDS.test(text)) return Number(text);
  const match = TIMESPAN.exec(text);
  if (match === null) return null;
  const [, hours, minutes, seconds] = match;
  if (hours === undefined && minutes === undefined && seconds === undefined) return null;
  return Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
}

/** `1h2m3s` style, for the live view and the summary; whole seconds. */
export function formatSeconds(total: number): string {
  const seconds = Math.max(0, Math.floor(total));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m${String(s).padStart(2, "0")}s`;
  if (m > 0) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}
