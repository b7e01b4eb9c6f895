// The histogram aggregated here hands the reader what the SDK's own would: cumulative points per
// attribute set, the default bounds (upper bounds inclusive), count, sum, min, max.
import { describe, expect, test } from "bun:test";
import { emptyResource } from "@opentelemetry/resources";
import { durationHistogram } from "../../src/otel/duration-histogram.ts";

describe("durationHistogram", () => {
  test("buckets, totals and one point per attribute object, cumulative across collections", async () => {
    const h = durationHistogram(emptyResource(), "test");
    expect((await h.producer.collect()).resourceMetrics.scopeMetrics[0]?.metrics).toEqual([]);
    const ok = Object.freeze({ name: "/a" });
    const failed = Object.freeze({ name: "/a", "error.type": "HTTPError" });
    for (const seconds of [0, 0.002, 5, 5.5, 20_000]) h.record(seconds, ok);
    h.record(0.1, failed);
    h.record(0.3, failed);
    const points = () => h.producer.collect().then((r) => r.resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints ?? []);
    const [first, second] = await points();
    expect(first?.attributes).toBe(ok);
    expect(first?.value).toMatchObject({ count: 5, sum: 20_010.502, min: 0, max: 20_000 });
    // Upper bounds inclusive: 0 in the first bucket, 0.002 and 5 in the second, past 10000 in the last.
    expect(first?.value).toHaveProperty("buckets.counts", [1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(second?.value).toMatchObject({ count: 2, min: 0.1, max: 0.3 });
    h.record(1, ok);
    expect((await points())[0]?.value).toMatchObject({ count: 6 });
  });
});
