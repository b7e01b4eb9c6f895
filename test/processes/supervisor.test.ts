// The supervisor with a small real child program (not the worker: the e2e tests run that against
// a real master): starts N, forwards a stop, restarts a killed child, ends when all exit 0.
import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Supervisor, superviseProcesses } from "../../src/processes/supervisor.ts";
import { recordingLogger } from "../support/fakes.ts";
import { BUN, alive, tempDir } from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";

// Prints its process slot, exits 0 on SIGTERM; exits 0 by itself when EXIT_AFTER_MS is set.
const CHILD = `
console.log("up " + process.env.LOADWORKER_PROCESS + " " + process.pid);
process.on("SIGTERM", () => { console.log("bye " + process.pid); process.exit(0); });
if (process.env.EXIT_AFTER_MS) setTimeout(() => process.exit(0), Number(process.env.EXIT_AFTER_MS));
setInterval(() => {}, 1000);
`;
const child = () => {
  const file = join(tempDir("child"), "child.ts");
  writeFileSync(file, CHILD);
  return file;
};

let running: Supervisor | undefined;
afterEach(async () => {
  running?.stop("SIGKILL");
  if (running) await within(running.done, 10_000, "the supervisor to end");
  running = undefined;
});

describe("the process supervisor", () => {
  test("starts N children, forwards a stop to each, and ends with 0 once none is left", async () => {
    const log = recordingLogger();
    running = superviseProcesses({ count: 3, command: [BUN, child()], log });
    const pids = await waitFor(() => (running!.pids().length === 3 ? running!.pids() : undefined), 10_000, "three children");
    expect(new Set(pids).size).toBe(3);
    running.stop("SIGTERM");
    expect(await within(running.done, 10_000, "the supervisor to end")).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  test("restarts a child that was killed, logging the signal, and keeps the others", async () => {
    const log = recordingLogger();
    running = superviseProcesses({ count: 2, command: [BUN, child()], log, restart: { minMs: 50, maxMs: 1000, healthyAfterMs: 60_000 } });
    const [first, second] = await waitFor(() => (running!.pids().length === 2 ? running!.pids() : undefined), 10_000, "two children");
    process.kill(first!, "SIGKILL");
    const after = await waitFor(
      () => {
        const pids = running!.pids();
        return pids.length === 2 && !pids.includes(first!) ? pids : undefined;
      },
      10_000,
      "the killed child to be replaced",
    );
    expect(after).toContain(second!);
    expect(
      log.lines.some((l) => l.level === "warn" && /worker process 1\/2 .* exited with signal SIGKILL; restarting/.test(l.message)),
    ).toBe(true);
  });

  test("does not restart children that exit 0 (the master said quit) and then ends with 0", async () => {
    const log = recordingLogger();
    running = superviseProcesses({ count: 2, command: [BUN, child()], log, env: { EXIT_AFTER_MS: "300" } });
    expect(await within(running.done, 10_000, "the supervisor to end")).toBe(0);
    expect(running.pids()).toEqual([]);
    expect(log.lines.filter((l) => l.level === "warn")).toEqual([]);
  });
});
