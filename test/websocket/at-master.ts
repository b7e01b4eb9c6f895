// A run of test/e2e/ws-tasks at a real Locust master (headless, from .venv) against a WebSocket
// peer, on the shared e2e fixture (support/e2e.ts stops what it starts): the worker as given
// (sources under Bun or Deno, or the fixture's compiled binary), the master's rows, and what the
// peer saw, so that tests can compare the two exactly.
import { join } from "node:path";
import type { E2e } from "../support/e2e.ts";
import { type MasterResult, masterComplaints, type StatsRow } from "../support/master.ts";
import { BUN, ROOT, refusedPort, startProc } from "../support/procs.ts";
import { within } from "../support/wait.ts";
import { REQUESTS } from "../e2e/ws-tasks/ws.ts";

/** The tasks folder, from the repository's root (as useE2e takes it). */
export const WS_TASKS_DIR = "test/e2e/ws-tasks";
export const WS_TASKS = join(ROOT, WS_TASKS_DIR);

/** How the worker is started: its command line before the master flags; "binary": the fixture's. */
export type WorkerCommand = { cmd: string; args: string[] } | "binary";
export const SOURCE_UNDER_BUN: WorkerCommand = { cmd: BUN, args: [join(ROOT, "src/main.ts")] };
export const SOURCE_UNDER_DENO: WorkerCommand = {
  cmd: join(ROOT, "node_modules/.bin/deno"),
  args: ["run", "-A", join(ROOT, "src/main.ts")],
};

const MASTER_PY = `from locust import User, task

class WsEcho(User):
    weight = 1
    @task
    def t(self):
        pass

class WsTrouble(User):
    fixed_count = 1
    @task
    def t(self):
        pass
`;

export interface WsRun {
  master: MasterResult;
  workerCode: number;
  workerOutput: string;
  /** "TYPE name" → the master's row. */
  row(typeAndName: string): StatsRow | undefined;
}

/** `echoUsers` WsEcho users plus one WsTrouble, each holding its socket `holdSeconds` before the round trips. */
export async function runAtMaster(
  e2e: E2e,
  opts: {
    worker: WorkerCommand;
    host: string;
    echoUsers: number;
    holdSeconds: number;
    runTime: string;
    /** Set for gorilla's echo example (test/e2e/ws-tasks/ws.ts: WsTrouble). */
    peer?: "gorilla";
  },
): Promise<WsRun> {
  const users = opts.echoUsers + 1;
  const run = await e2e.headlessMaster({ locustfile: MASTER_PY, users, spawnRate: users, runTime: opts.runTime, host: opts.host });
  const env = {
    LOADWORKER_TASKS_DIR: WS_TASKS,
    NO_COLOR: "1",
    WS_HOLD_SECONDS: String(opts.holdSeconds),
    WS_REFUSED_PORT: String(await refusedPort()),
    WS_PEER: opts.peer ?? "python",
  };
  const masterFlags = ["--master-port", String(run.port)];
  let worker: ReturnType<typeof startProc>;
  if (opts.worker === "binary") worker = e2e.worker(masterFlags, { env });
  else {
    const source = startProc(opts.worker.cmd, [...opts.worker.args, ...masterFlags], { env });
    e2e.onStop(() => source.kill("SIGKILL"));
    worker = source;
  }
  const master = await run.result();
  const workerCode = await within(worker.exited, 20_000, "the worker to exit after the master's quit");
  const complaints = masterComplaints(master.log);
  if (complaints.length > 0) throw new Error(`the master complained:\n${complaints.join("\n")}`);
  return {
    master,
    workerCode,
    workerOutput: worker.output(),
    row: (typeAndName) => master.rows.find((r) => `${r.type} ${r.name}` === typeAndName),
  };
}

/** The master's rows as "TYPE name: requests/failures", sorted, for one exact comparison. */
export function tally(result: MasterResult): string[] {
  return result.rows.map((r) => `${r.type} ${r.name}: ${r.requests}/${r.failures}`).sort();
}

/** What test/peers/ws_server.py counted so far (GET /stats). */
export async function peerStats(httpUrl: string): Promise<{ connections: number; messages: number; open: number; max_open: number }> {
  const response = await fetch(`${httpUrl}/stats`);
  return (await response.json()) as { connections: number; messages: number; open: number; max_open: number };
}

/** The rows every run must show for `users` WsEcho users and the one WsTrouble user. */
export function expectedTally(users: number, peer: "python" | "gorilla" = "python"): string[] {
  const trouble = peer === "python" ? ["WS-conn closing: 1/0", "WS closing: 1/1"] : ["WS-conn origin: 1/1"];
  return [
    ...trouble,
    `WS echo: ${users * REQUESTS}/0`,
    `WS-conn echo: ${users}/0`,
    `WS-send echo: ${users}/0`,
    `WS-recv echo: ${users}/0`,
    "WS-conn /refuse: 1/1",
    "WS-conn /nothing: 1/1",
    "WS-conn big: 1/0",
    "WS big: 1/1",
  ].sort();
}
