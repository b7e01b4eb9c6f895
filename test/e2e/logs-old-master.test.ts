// The Logs tab on a master older than 2.29, which has no `logs` message (it would log "Unknown
// message type" for one): the worker sends none, and the run is clean. Needs a venv with such a
// Locust: LOADWORKER_OLD_LOCUST_VENV, .venv-compat/2.24.1 (scripts/compat.sh 2.24.1 makes it) or
// .venv-compat/2.12.1 (scripts/test.sh --full's version matrix makes it, and runs this file then). Without
// one the test is skipped, and says so.
import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { masterComplaints } from "../support/master.ts";
import { useE2e } from "../support/e2e.ts";
import { ROOT, freePort, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";
import { controlsMasterPy } from "./controls-support.ts";

// The first that exists: the one named, or one the version matrix of scripts/test.sh --full made (2.12.1).
const OLD_VENV =
  [process.env.LOADWORKER_OLD_LOCUST_VENV, ".venv-compat/2.24.1", ".venv-compat/2.12.1"]
    .filter((v): v is string => !!v)
    .map((v) => resolve(ROOT, v))
    .find((v) => existsSync(join(v, "bin", "locust"))) ?? resolve(ROOT, ".venv-compat/2.24.1");
const oldLocust = join(OLD_VENV, "bin", "locust");
const available = existsSync(oldLocust);
// The master is an older Locust than support/master.ts starts: this file starts it itself.
const e2e = useE2e({ tasks: available ? "test/e2e/controls-tasks" : false, server: false });
if (!available) console.log(`logs-old-master.test.ts: skipped, no Locust < 2.29 at ${OLD_VENV} (make one with: scripts/compat.sh 2.24.1)`);

describe("the Logs tab on an older master", () => {
  test.skipIf(!available)(
    "a master < 2.29 gets no logs message and logs no error, over more than one logs interval",
    async () => {
      const dir = tempDir("old-master");
      writeFileSync(join(dir, "master.py"), controlsMasterPy(e2e.bin));
      const port = await freePort();
      const args = [
        "-f",
        "master.py",
        "--master",
        "--master-bind-host",
        "127.0.0.1",
        "--master-bind-port",
        String(port),
        "--headless",
        "-u",
        "2",
        "-r",
        "2",
        "-t",
        "14s",
        "--expect-workers",
        "1",
        "Messenger",
      ];
      const master = startProc(oldLocust, args, { cwd: dir });
      e2e.onStop(() => master.kill("SIGKILL"));
      const worker = e2e.worker(["--master-port", String(port)]);
      const code = await within(master.exited, 90_000, "the old master to finish");
      const log = master.output();
      expect(log).toMatch(/Starting Locust 2\.(1\d|2[0-8])\./);
      expect(code).toBe(0);
      expect(masterComplaints(log)).toEqual([]);
      expect(log).not.toContain("logs");
      // The worker had lines to show (and custom messages still went both ways).
      expect(worker.output()).toContain("onTestStart ran");
      expect(log).toContain("got pong 42 from worker 0");
      expect(await within(worker.exited, 10_000, "the worker to exit")).toBe(0);
    },
    120_000,
  );
});
