// The locust.client.duration histogram's recording, as Locust 2.47's request listener does it
// (locust/opentelemetry.py on_request): seconds, the attribute "name" (the first 20 distinct names,
// then "Too many unique request names" so a name per URL cannot blow up a metrics backend) and,
// for a failure, "error.type", the exception's class name. Locust records no method or status
// here: a dashboard that groups by those would not match its Python workers.
import type { RequestListener } from "../stats/index.ts";

export const HISTOGRAM = "locust.client.duration";
export const MAX_REQUEST_NAMES = 20;
export const TOO_MANY_NAMES = "Too many unique request names";

export type HistogramAttributes = Readonly<Record<string, string>>;

/** A listener for Stats.listen that records each request through `record` (the SDK histogram's). */
export function requestDurations(record: (seconds: number, attributes: HistogramAttributes) => void): RequestListener {
  // One attributes object per name and per (name, error type): no object per request.
  const byName = new Map<string, HistogramAttributes>();
  const byError = new Map<string, Map<string, HistogramAttributes>>();
  const tooMany: HistogramAttributes = Object.freeze({ name: TOO_MANY_NAMES });
  const nameAttributes = (name: string): HistogramAttributes => {
    const known = byName.get(name);
    if (known !== undefined) return known;
    if (byName.size >= MAX_REQUEST_NAMES) return tooMany;
    const made = Object.freeze({ name });
    byName.set(name, made);
    return made;
  };
  // The name seen last and its attributes: a load loop records one name over and over, with the
  // same string (as the stats' last entry), so a success costs a compare, not a Map lookup.
  let lastName = "";
  let lastPlain: HistogramAttributes = tooMany;
  return (_method, name, ms, error) => {
    // Locust skips a request without a duration (None); ours is NaN or Infinity then.
    if (!Number.isFinite(ms)) return;
    let plain = lastPlain;
    if (name !== lastName) {
      plain = nameAttributes(name);
      lastName = name;
      lastPlain = plain;
    }
    const seconds = Math.max(0, ms) / 1000;
    if (error === undefined) return record(seconds, plain);
    const recorded = plain.name as string;
    const type = errorType(error);
    let types = byError.get(recorded);
    if (types === undefined) {
      types = new Map();
      byError.set(recorded, types);
    }
    let attributes = types.get(type);
    if (attributes === undefined) {
      attributes = Object.freeze({ name: recorded, "error.type": type });
      types.set(type, attributes);
    }
    record(seconds, attributes);
  };
}

/**
 * The class name Locust would give: an Error's name (HttpError, GrpcError, ...); for a recorded
 * text, the class it was written as (`HTTPError('500 Server Error: ...')` → HTTPError,
 * `CatchResponseError(...)`), as Python workers record those; any other text: Exception.
 */
export function errorType(error: unknown): string {
  if (error instanceof Error) return error.name || "Error";
  if (typeof error === "string") return /^([A-Za-z_][A-Za-z0-9_.]*)\(/.exec(error)?.[1] ?? "Exception";
  return "Exception";
}
