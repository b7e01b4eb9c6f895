// `run --arrival-rate` with several classes (open-plan.ts), from the sources under Bun against a
// server that counts each path: over --processes 2 with fewer users of a class than processes,
// every class still runs its share of the rate (no process is handed iterations of a class it
// holds no user of); a fixedCount class gets exactly its users, as under -u, and no share of the
// rate; and a fixedCount on every class, or too few --max-users, is one usage error before load.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import { ROOT, tempDir } from "../support/procs.ts";
import { run } from "../support/run-cli.ts";
import { type StallServer, stallServer } from "../support/stall-server.ts";

const TASKS = { LOADWORKER_TASKS_DIR: join(ROOT, "test/e2e/open-classes-tasks") };
const source = { kind: "source" } as const;
let server: StallServer;
beforeAll(async () => {
  server = await stallServer({ stallMs: 0, periodMs: 1_000 });
});
afterAll(async () => {
  await server.close();
});

async function openRun(args: string[]): Promise<{ report: RunReport; paths: Map<string, number> }> {
  const file = join(tempDir("open-classes"), "r.json");
  const before = server.paths.length;
  const result = await run(source, [...args, "--json", file, "--host", server.url], TASKS);
  expect(result.code).toBe(0);
  const paths = new Map<string, number>();
  for (const path of server.paths.slice(before)) paths.set(path, (paths.get(path) ?? 0) + 1);
  return { report: JSON.parse(readFileSync(file, "utf8")), paths };
}

describe("run --arrival-rate 40 --processes 2 --max-users 3 Browse Buy (weights 3:1)", () => {
  test("runs Buy's quarter of the rate in the process that holds its one user: nothing dropped, 3:1 per task", async () => {
    const { report, paths } = await openRun(["--arrival-rate", "40", "--processes", "2", "--max-users", "3", "-t", "4s", "Browse", "Buy"]);
    // Dealt as 3 users over 2 processes, one process has no Buy user; it used to be handed half of
    // Buy's iterations anyway, and drop them all (~20). A child descheduled on a busy machine can
    // find two of Buy's iterations due at once for its one user and drop one: a couple, not 20.
    expect(report.dropped_iterations).toBeLessThanOrEqual(2);
    const browse = paths.get("/browse") ?? 0;
    const buy = paths.get("/buy") ?? 0;
    // 40/s for the 4 s counted from when both children began (the first to begin runs a little
    // longer); each schedule is exact, so the split is 3:1 within the few iterations a child's
    // later start or the stop cuts from one class's schedule (±3 each).
    expect(browse + buy).toBeWithin(120, 170);
    expect(Math.abs(buy - (browse + buy) / 4)).toBeLessThanOrEqual(4);
  }, 60_000);
});

describe("run --arrival-rate 20 --processes 2 with Admin (fixedCount 1, 5 task runs a second) beside Browse and Buy", () => {
  test("runs exactly one Admin user, as under -u, and shares the rate 3:1 between the others", async () => {
    const { report, paths } = await openRun(["--arrival-rate", "20", "--processes", "2", "--max-users", "4", "-t", "4s"]);
    expect(report.dropped_iterations).toBeLessThanOrEqual(2); // as above: a deschedule, not a class without users
    // One user at 5 a second for ~4 s (two users would make ~40): started with the run, not on the schedule.
    expect(paths.get("/admin") ?? 0).toBeWithin(15, 25);
    const browse = paths.get("/browse") ?? 0;
    const buy = paths.get("/buy") ?? 0;
    expect(browse + buy).toBeWithin(60, 88);
    expect(Math.abs(buy - (browse + buy) / 4)).toBeLessThanOrEqual(4);
  }, 60_000);
});

describe("bad open-model input with fixedCount classes", () => {
  test("a fixedCount on every class run, or --max-users below the fixed users and one per rate class: exit 2 before load", async () => {
    const before = server.paths.length;
    const onlyFixed = await run(source, ["--arrival-rate", "10", "-t", "2s", "--host", server.url, "Admin"], TASKS);
    expect(onlyFixed.code).toBe(2);
    expect(onlyFixed.stderr).toContain("--arrival-rate: every user class has a fixedCount (Admin: 1)");
    const few = await run(source, ["--arrival-rate", "10", "--max-users", "2", "-t", "2s", "--host", server.url], TASKS);
    expect(few.code).toBe(2);
    expect(few.stderr).toContain("--max-users 2 is too few for --arrival-rate: the fixedCount classes take 1 (Admin: 1)");
    expect(few.stderr).toContain("give --max-users 3 or more");
    expect(server.paths.length).toBe(before);
  }, 60_000);
});
