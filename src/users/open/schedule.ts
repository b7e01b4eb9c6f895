// When each iteration of an open-model load is due: pure, so the executor's shell only asks
// "when is the next one?" (k6's arrival-rate executors plan the same way). The rate is piecewise
// linear over stages (k6's ramping-arrival-rate); a constant rate is one endless stage. The
// iterations due by time t are N(t), the integral of the rate from 0 to t; iteration k (1-based)
// is due when N(t) reaches k, so R per second for T seconds starts exactly R·T iterations.

/** One stage: over `seconds`, the rate moves linearly to `rate` iterations per second. */
export interface RateStage {
  readonly seconds: number;
  readonly rate: number;
}

export interface ArrivalSchedule {
  /** Seconds from the start at which iteration k (1-based) is due; Infinity when it never is. */
  dueAt(k: number): number;
  /** Iterations due by `seconds` from the start. */
  dueBy(seconds: number): number;
  /** Iterations per second at `seconds` (0 past the last stage). */
  rateAt(seconds: number): number;
  /** Seconds until the last stage ends; Infinity for a constant rate. */
  readonly seconds: number;
}

interface Segment {
  readonly start: number; // seconds
  readonly seconds: number;
  readonly from: number; // rate at start
  readonly to: number; // rate at the end
  readonly before: number; // iterations due at its start (N(start))
}

// The epsilon keeps k iterations at exactly t from landing a hair short (0.1 × 30 is 2.9999…).
const EPSILON = 1e-9;

/** A constant rate, forever. */
export function constantRate(rate: number): ArrivalSchedule {
  return rampingRate(rate, [{ seconds: Number.POSITIVE_INFINITY, rate }]);
}

/** From `startRate`, each stage in turn moves the rate linearly to its target. */
export function rampingRate(startRate: number, stages: readonly RateStage[]): ArrivalSchedule {
  const segments: Segment[] = [];
  let start = 0;
  let from = startRate;
  let before = 0;
  for (const stage of stages) {
    segments.push({ start, seconds: stage.seconds, from, to: stage.rate, before });
    if (!Number.isFinite(stage.seconds)) break;
    before += ((from + stage.rate) / 2) * stage.seconds;
    start += stage.seconds;
    from = stage.rate;
  }
  const total = before; // iterations due by the end of the last finite stage
  const end = segments.some((s) => !Number.isFinite(s.seconds)) ? Number.POSITIVE_INFINITY : start;

  const within = (s: Segment, x: number) => s.from * x + (((s.to - s.from) / s.seconds) * (x * x)) / 2;
  const segmentAt = (seconds: number) => {
    let found = segments[0];
    for (const s of segments) if (s.start <= seconds) found = s;
    return found;
  };
  const dueBy = (seconds: number): number => {
    if (seconds < 0 || segments.length === 0) return 0;
    if (seconds >= end) return Math.floor(total + EPSILON);
    const s = segmentAt(seconds) as Segment;
    const x = seconds - s.start;
    const n = s.before + (Number.isFinite(s.seconds) ? within(s, x) : s.from * x);
    return Math.floor(n + EPSILON);
  };
  return {
    seconds: end,
    dueBy,
    rateAt(seconds) {
      const s = segmentAt(seconds);
      if (!s || seconds < 0 || seconds >= end) return 0;
      if (!Number.isFinite(s.seconds)) return s.from;
      return s.from + ((s.to - s.from) * (seconds - s.start)) / s.seconds;
    },
    dueAt(k) {
      for (const s of segments) {
        const inside = Number.isFinite(s.seconds) ? ((s.from + s.to) / 2) * s.seconds : Number.POSITIVE_INFINITY;
        const need = k - s.before; // iterations still to come within this segment
        if (need > inside + EPSILON) continue;
        return s.start + offsetFor(s, need);
      }
      return Number.POSITIVE_INFINITY;
    },
  };
}

// The x at which `need` iterations of the segment are due: solves from·x + slope·x²/2 = need in
// the form that stays exact when the slope is 0 or the rate falls (no cancellation).
function offsetFor(s: Segment, need: number): number {
  if (need <= 0) return 0;
  if (!Number.isFinite(s.seconds) || s.to === s.from) return s.from > 0 ? need / s.from : Number.POSITIVE_INFINITY;
  const slope = (s.to - s.from) / s.seconds;
  const root = Math.sqrt(Math.max(0, s.from * s.from + 2 * slope * need));
  const x = s.from + root > 0 ? (2 * need) / (s.from + root) : Number.POSITIVE_INFINITY;
  return Math.min(x, s.seconds);
}
