// examples/otel as its README runs it (`npx loadworker run --otel --tasks examples/otel`, from
// source) against the demo target, with a real OpenTelemetry Collector receiving: the names the
// README promises, the histogram's counts equal to what the target served, and the users gauge.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Target, LOADWORKER_JS, aggregated, demoTarget, example } from "../support/examples.ts";
import { type Collector, attributesOf, durationCounts, pointsOf, spansOf, startCollector } from "../support/otelcol.ts";
import { startProc } from "../support/procs.ts";
import { expectServedCutOff } from "../support/run-cli.ts";
import { waitFor, within } from "../support/wait.ts";

let target: Target;
let collector: Collector;
beforeAll(async () => {
  target = await demoTarget();
  collector = await startCollector();
});
afterAll(async () => {
  await target?.close();
  await collector?.close();
});

describe("examples/otel", () => {
  test("run --otel: Locust's histogram names, error.type on the failed checkout, a span per request, the Shopper count", async () => {
    const proc = startProc(
      "node",
      [LOADWORKER_JS, "run", "--otel", "--tasks", example("otel"), "-u", "3", "-r", "3", "-t", "3s", "--host", target.url],
      { env: { NO_COLOR: "1", OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_METRIC_EXPORT_INTERVAL: "1000" } },
    );
    expect(await within(proc.exited, 90_000, "loadworker run --otel")).toBe(0);
    const { requests } = aggregated(proc.output());
    const histogramTotal = () => [...durationCounts(collector).values()].reduce((a, b) => a + b, 0);
    await waitFor(() => (histogramTotal() === requests ? true : undefined), 20_000, "the histogram to reach the run's total");
    const counts = durationCounts(collector);
    expect([...counts.keys()].sort()).toEqual(["/api/items", "/api/items/[id]", "/login", "checkout|HTTPError"]);
    // A request in flight when the run ends is served but not recorded: one per user at most.
    const served = await target.served();
    expectServedCutOff(served["/api/items"] as number, counts.get("/api/items") as number, 3);
    expectServedCutOff(served["/status/503"] as number, counts.get("checkout|HTTPError") as number, 3);

    const users = pointsOf(collector, "locust.users.count").map(({ point }) => [attributesOf(point.attributes).user_class, point.asInt]);
    expect(users).toContainEqual(["Shopper", "3"]);
    // Each recorded request has its span, and so has a call cut off by the run's end (it ends as failed).
    await waitFor(() => (spansOf(collector).length >= requests ? true : undefined), 20_000, "a span per request");
    expect(spansOf(collector).length).toBeLessThanOrEqual(requests + 3);
    expect(new Set(spansOf(collector).map((s) => s.name))).toEqual(
      new Set(["POST /login", "GET /api/items", "GET /api/items/[id]", "GET checkout"]),
    );
  }, 120_000);
});
