// locust.client.duration aggregated here, handed to the SDK's reader at each collection (a
// MetricProducer): the SDK's own Histogram.record hashes the attribute set on every call, which
// cost a fifth of a worker's requests per CPU-second (bench/NOTES.md, "OpenTelemetry"). Same data
// as the SDK would export: cumulative, the SDK's default bucket bounds (Python's too), count, sum,
// min, max per attribute set. requestDurations (request-metrics.ts) picks the attribute set.
import { type Attributes, type HrTime, ValueType } from "@opentelemetry/api";
import { millisToHrTime } from "@opentelemetry/core";
import { AggregationTemporality, type CollectionResult, DataPointType, type MetricProducer } from "@opentelemetry/sdk-metrics";
import type { Resource } from "@opentelemetry/resources";
import { HISTOGRAM, type HistogramAttributes } from "./request-metrics.ts";

const BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

class Series {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly counts: number[] = new Array(BOUNDARIES.length + 1).fill(0);
  constructor(readonly attributes: Attributes) {}
}

export interface DurationHistogram {
  record(seconds: number, attributes: HistogramAttributes): void;
  readonly producer: MetricProducer;
}

export function durationHistogram(resource: Resource, version: string): DurationHistogram {
  const start: HrTime = millisToHrTime(Date.now());
  // requestDurations hands the same frozen object for the same attribute set: keyed by identity.
  const series = new Map<HistogramAttributes, Series>();
  // The series recorded last: a load loop's successes hit the same one, a compare instead of a Map lookup.
  let lastAttributes: HistogramAttributes | undefined;
  let last: Series | undefined;
  const record = (seconds: number, attributes: HistogramAttributes): void => {
    let s = last;
    if (attributes !== lastAttributes || s === undefined) {
      s = series.get(attributes);
      if (s === undefined) {
        s = new Series(attributes);
        series.set(attributes, s);
      }
      lastAttributes = attributes;
      last = s;
    }
    let bucket = 0;
    while (bucket < BOUNDARIES.length && seconds > (BOUNDARIES[bucket] as number)) bucket++;
    (s.counts[bucket] as number)++;
    s.count++;
    s.sum += seconds;
    if (seconds < s.min) s.min = seconds;
    if (seconds > s.max) s.max = seconds;
  };
  const producer: MetricProducer = {
    collect: async (): Promise<CollectionResult> => {
      const end = millisToHrTime(Date.now());
      const dataPoints = [...series.values()].map((s) => ({
        attributes: s.attributes,
        startTime: start,
        endTime: end,
        value: { buckets: { boundaries: BOUNDARIES, counts: [...s.counts] }, count: s.count, sum: s.sum, min: s.min, max: s.max },
      }));
      const metrics =
        dataPoints.length === 0
          ? []
          : [
              {
                descriptor: { name: HISTOGRAM, description: "Time to last byte for requests", unit: "s", valueType: ValueType.DOUBLE },
                aggregationTemporality: AggregationTemporality.CUMULATIVE,
                dataPointType: DataPointType.HISTOGRAM as const,
                dataPoints,
              },
            ];
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: { name: "locust", version }, metrics }] }, errors: [] };
    },
  };
  return { record, producer };
}
