// End to end: users whose tasks never await I/O (they only record, with no wait time) must still
// let the worker heartbeat and report: the master keeps it and counts what it records.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { within } from "../support/wait.ts";

const e2e = useE2e({ server: false });

const masterPy = "from locust import User, task\n\nclass RecordOnly(User):\n    @task\n    def t(self):\n        pass\n";

describe("CPU-bound users against a real master", () => {
  for (const users of [1_000, 10_000]) {
    test(`${users} record-only users keep the worker alive and the master counts what they record`, async () => {
      const run = await e2e.headlessMaster({ locustfile: masterPy, users, spawnRate: users, runTime: "8s" });
      const worker = e2e.worker(["--master-port", String(run.port)]);
      const result = await run.result();
      expect(await within(worker.exited, 15_000, "the worker to exit after the master's quit")).toBe(0);

      expect(masterComplaints(result.log)).toEqual([]);
      expect(result.log).not.toMatch(/failed to send heartbeat|went missing/);
      expect(result.log).toContain(`"RecordOnly": ${users}`);
      const row = result.rows.find((r) => r.name === "record-only");
      expect(row?.failures).toBe(0);
      expect(row!.requests).toBeGreaterThan(10 * users); // every user ran, many times
    }, 120_000);
  }
});
