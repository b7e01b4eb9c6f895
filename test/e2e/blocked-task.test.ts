// A task that never awaits (`while (true) {}`) holds the only JavaScript thread for good: the run
// time never ends the run and Ctrl-C's handler never runs. A watchdog on its own thread says so
// and kills the process at LOADWORKER_BLOCKED_LIMIT seconds, so nobody is left with `kill -9`.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

const e2e = useE2e({ server: false });
let dir: string;

beforeAll(() => {
  dir = tempDir("blocked-task");
  mkdirSync(join(dir, "spin"));
  writeFileSync(
    join(dir, "spin", "spin.ts"),
    'import { defineUser } from "loadworker";\nexport const u = defineUser({ name: "Spinner", tasks: [{ name: "spin", fn: async () => { for (;;) {} } }] });\n',
  );
});

describe("loadworker run with a task that never awaits", () => {
  test("is killed at the blocked limit with a message that says why and what to do, instead of running forever", async () => {
    const run = e2e.worker(["run", "--tasks", join(dir, "spin"), "-u", "1", "-t", "1s", "--host", "http://127.0.0.1:9"], {
      env: { LOADWORKER_BLOCKED_LIMIT: "2" },
    });
    const code = await within(run.exited, 30_000, "the blocked run to be ended by the watchdog");
    expect(run.child.signalCode).toBe("SIGKILL");
    expect(code).toBe(128);
    expect(run.output()).toContain(
      "the JavaScript thread has been blocked for 2s by code that never awaits (a loop in a task, or at a task file's top level?): killing the process",
    );
    expect(run.output()).toContain("await ctx.sleep(0)");
  }, 60_000);

  test("a task file whose top level waits for a flag only a timer could set gets the same message, not a silent hang", async () => {
    const top = join(dir, "top");
    mkdirSync(top);
    writeFileSync(
      join(top, "t.ts"),
      'import { defineTask } from "loadworker";\nlet ready = false;\nsetTimeout(() => { ready = true; }, 10);\nwhile (!ready) {}\nexport const t = defineTask({ name: "t", fn: () => {} });\n',
    );
    const run = e2e.worker(["run", "--tasks", top, "-u", "1", "-t", "1s"], { env: { LOADWORKER_BLOCKED_LIMIT: "2" } });
    await within(run.exited, 30_000, "the blocked start to be ended by the watchdog");
    expect(run.child.signalCode).toBe("SIGKILL");
    expect(run.output()).toContain("blocked for 2s by code that never awaits (a loop in a task, or at a task file's top level?)");
  }, 60_000);

  test("with LOADWORKER_BLOCKED_LIMIT not a number of seconds, says so and keeps the default", async () => {
    const quiet = join(dir, "quiet");
    mkdirSync(quiet);
    writeFileSync(
      join(quiet, "q.ts"),
      'import { defineTask } from "loadworker";\nexport const q = defineTask({ name: "q", fn: () => {} });\n',
    );
    const run = e2e.worker(["run", "--tasks", quiet, "-u", "1", "-t", "1s"], { env: { LOADWORKER_BLOCKED_LIMIT: "soon" } });
    expect(await within(run.exited, 30_000, "the run to end")).toBe(0);
    expect(run.output()).toContain("LOADWORKER_BLOCKED_LIMIT=soon: not a number of seconds >= 0; using 60");
  }, 60_000);
});
