import { describe, expect, test } from "bun:test";
import { startMetricsEndpoint } from "../../src/metrics/endpoint.ts";
import { createStats } from "../../src/stats/index.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { recordingLogger } from "../support/fakes.ts";
import { freePort } from "../support/procs.ts";

describe("startMetricsEndpoint", () => {
  test("serves what is reported into its collector, and says where", async () => {
    const log = recordingLogger();
    const endpoint = await startMetricsEndpoint({ port: await freePort(), host: "127.0.0.1", log });
    try {
      const stats = createStats(new FakeClock());
      stats.recorder.success("GET", "/cart", 12, 100);
      endpoint.collector.report(stats.report({ Shopper: 1 }, 1));
      const body = await (await fetch(`http://127.0.0.1:${endpoint.port}/metrics`)).text();
      expect(body).toMatch(/name="\/cart".*\} 1\n/);
      expect(log.lines.map((l) => l.message).join("\n")).toContain(`http://127.0.0.1:${endpoint.port}/metrics`);
    } finally {
      await endpoint.close();
    }
  });

  test("process i of --processes N serves on the port + i - 1", async () => {
    const base = await freePort();
    const endpoint = await startMetricsEndpoint({ port: base, host: "127.0.0.1", log: recordingLogger(), index: 2 });
    try {
      expect(endpoint.port).toBe(base + 1);
      expect((await fetch(`http://127.0.0.1:${base + 1}/metrics`)).status).toBe(200);
    } finally {
      await endpoint.close();
    }
  });
});
