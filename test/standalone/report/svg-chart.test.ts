import { describe, expect, test } from "bun:test";
import { elapsedLabel, escapeXml, lineChart } from "../../../src/standalone/report/svg-chart.ts";

const chart = (values: Array<number | null>) =>
  lineChart({
    id: "c",
    title: "T <&>",
    unit: "ms",
    seconds: values.map((_, i) => i),
    series: [{ key: "k", label: "K", color: "#000", values }],
  });

describe("lineChart", () => {
  test("draws one polyline per run of values, breaking where a value is missing", () => {
    const svg = chart([1, 2, null, null, 3, 4, 5]);
    expect(svg.match(/<polyline /g)?.length).toBe(2);
    expect(svg).toContain('data-series="k" data-points="5"');
    expect(svg).toContain("<title>4s: 3 ms</title>");
    expect(svg).toContain("T &#60;&#38;&#62;");
  });

  test("thins an hour of points to at most 1200 and drops per-point tooltips", () => {
    const svg = chart(Array.from({ length: 3600 }, (_, i) => i % 50));
    const points = Number(/data-points="(\d+)"/.exec(svg)?.[1]);
    expect(points).toBeLessThanOrEqual(1201);
    expect(points).toBeGreaterThan(1000);
    expect(svg).not.toContain("<circle");
  });

  test("labels the time axis in s, m and h", () => {
    expect([0, 45, 120, 90, 3900].map(elapsedLabel)).toEqual(["0s", "45s", "2m", "1m30s", "1h05m"]);
    expect(escapeXml(`"'`)).toBe("&#34;&#39;");
  });

  test("labels a run of a few seconds every second or two, its end included (a 1 s run had only 0s)", () => {
    const ticks = (seconds: number) =>
      [...lineChart({ id: "c", title: "T", unit: "ms", seconds: [0, seconds], series: [] }).matchAll(/class="tick"[^>]*>(\d+s)</g)].map(
        (m) => m[1],
      );
    expect(ticks(1)).toEqual(["0s", "1s"]);
    expect(ticks(8)).toEqual(["0s", "1s", "2s", "3s", "4s", "5s", "6s", "7s", "8s"]);
    expect(ticks(14)).toEqual(["0s", "2s", "4s", "6s", "8s", "10s", "12s", "14s"]);
  });
});
