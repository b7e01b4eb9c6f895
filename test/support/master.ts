// Runs a real Locust master (from .venv) headless and reads what it reports.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Proc, VENV_BIN, freePort, startProc, tempDir } from "./procs.ts";
import { NotYet, waitFor, within } from "./wait.ts";

export interface HeadlessRun {
  master: Proc;
  port: number;
  dir: string;
  /** Resolves when the master exits, with its code, stats rows and exceptions. */
  result(): Promise<MasterResult>;
}

export interface StatsRow {
  type: string;
  name: string;
  requests: number;
  failures: number;
  avg: number;
  min: number;
  max: number;
  avgContentSize: number;
}

export interface MasterResult {
  code: number;
  log: string;
  rows: StatsRow[];
  aggregated: StatsRow;
  exceptionsCsv: string;
  failuresCsv: string;
}

export async function startHeadlessMaster(opts: {
  locustfile: string;
  users: number;
  spawnRate: number;
  runTime: string;
  host?: string;
  workers?: number;
  extra?: string[];
  /** A venv of its own (e.g. with locust-plugins); default: .venv's Locust. */
  venv?: string;
  /** Extra environment for the master. */
  env?: Record<string, string>;
}): Promise<HeadlessRun> {
  const dir = tempDir("master");
  const file = join(dir, "master.py");
  writeFileSync(file, opts.locustfile);
  const port = await freePort();
  const args = ["-f", file, "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", String(port), "--headless"];
  args.push("--expect-workers", String(opts.workers ?? 1), "--expect-workers-max-wait", "60");
  args.push("-u", String(opts.users), "-r", String(opts.spawnRate), "-t", opts.runTime, "--csv", join(dir, "run"), "--only-summary");
  if (opts.host) args.push("--host", opts.host);
  args.push(...(opts.extra ?? []));
  const master = startProc(join(opts.venv ? join(opts.venv, "bin") : VENV_BIN, "locust"), args, { cwd: dir, env: opts.env });
  return {
    master,
    port,
    dir,
    result: async () => {
      const code = await within(master.exited, 180_000, "the Locust master to finish");
      const rows = parseStatsCsv(readFileSync(join(dir, "run_stats.csv"), "utf8"));
      const aggregated = rows.find((r) => r.name === "Aggregated");
      if (!aggregated) throw new Error(`no Aggregated row in the master's CSV:\n${master.output()}`);
      return {
        code,
        log: master.output(),
        rows: rows.filter((r) => r !== aggregated),
        aggregated,
        exceptionsCsv: readFileSync(join(dir, "run_exceptions.csv"), "utf8"),
        failuresCsv: readFileSync(join(dir, "run_failures.csv"), "utf8"),
      };
    },
  };
}

/** Parses Locust's run_stats.csv (quoted CSV with a header row). */
export function parseStatsCsv(text: string): StatsRow[] {
  const [header, ...lines] = text.trim().split("\n").map(splitCsvLine);
  const col = (name: string) => {
    const i = (header ?? []).indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in ${header}`);
    return i;
  };
  const num = (cells: string[], name: string) => Number(cells[col(name)]);
  return lines.map((cells) => ({
    type: cells[col("Type")] ?? "",
    name: cells[col("Name")] ?? "",
    requests: num(cells, "Request Count"),
    failures: num(cells, "Failure Count"),
    avg: num(cells, "Average Response Time"),
    min: num(cells, "Min Response Time"),
    max: num(cells, "Max Response Time"),
    avgContentSize: num(cells, "Average Content Size"),
  }));
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') (cur += '"'), i++;
    else if (c === '"') quoted = !quoted;
    else if (c === "," && !quoted) cells.push(cur), (cur = "");
    else cur += c;
  }
  cells.push(cur);
  return cells;
}

/** Lines that mean the worker sent the master something it could not handle. */
export function masterComplaints(log: string): string[] {
  return log.split("\n").filter((l) => /Uncaught exception|Unknown message type|Traceback|Discarded report|listener|KeyError/.test(l));
}

export interface UiMaster {
  proc: Proc;
  masterPort: number;
  webPort: number;
  url: string;
  // Locust's web API answers JSON (/stats/requests, /swarm, /stop); tests read the fields they check.
  // biome-ignore lint/suspicious/noExplicitAny: JSON from Locust's web UI, see above
  stats(): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from Locust's web UI
  swarm(form: Record<string, string | number>): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from Locust's web UI
  stop(): Promise<any>;
  /** Waits until the master lists `count` ready workers (and, with `stopped`, its own state is "stopped"); returns the stats read then. */
  // biome-ignore lint/suspicious/noExplicitAny: JSON from Locust's web UI
  readyWorkers(what: string, opts?: { count?: number; stopped?: boolean; ms?: number }): Promise<any>;
}

/** A master with its web UI (no --headless), driven through Locust's HTTP API. */
export async function startUiMaster(opts: {
  locustfile: string;
  masterPort?: number;
  webPort?: number;
  dir?: string;
  extra?: string[];
}): Promise<UiMaster> {
  const dir = opts.dir ?? tempDir("ui-master");
  const file = join(dir, "master.py");
  writeFileSync(file, opts.locustfile);
  const masterPort = opts.masterPort ?? (await freePort());
  const webPort = opts.webPort ?? (await freePort());
  const proc = startProc(
    join(VENV_BIN, "locust"),
    [
      "-f",
      file,
      "--master",
      "--master-bind-host",
      "127.0.0.1",
      "--master-bind-port",
      String(masterPort),
      "--web-host",
      "127.0.0.1",
      "--web-port",
      String(webPort),
      ...(opts.extra ?? []),
    ],
    { cwd: dir },
  );
  const url = `http://127.0.0.1:${webPort}`;
  const ui: UiMaster = {
    proc,
    masterPort,
    webPort,
    url,
    stats: async () => (await fetch(`${url}/stats/requests`)).json(),
    swarm: async (form) =>
      (
        await fetch(`${url}/swarm`, {
          method: "POST",
          body: new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])),
        })
      ).json(),
    // Locust 2.47 takes POST /stop; older releases only GET: they answer POST with 405, or with
    // 500 where a catch-all error handler wraps the 405 (seen on 2.19.1 and 2.24.1).
    stop: async () => {
      const res = await fetch(`${url}/stop`, { method: "POST" });
      return (res.status === 405 || res.status === 500 ? await fetch(`${url}/stop`) : res).json();
    },
    readyWorkers: (what, { count = 1, stopped = false, ms = 30_000 } = {}) =>
      waitFor(
        async () => {
          const s = await ui.stats();
          const workers: { id: string; state: string }[] = s.workers ?? [];
          const ready = workers.filter((w) => w.state === "ready").length;
          return ready === count && (!stopped || s.state === "stopped")
            ? s
            : new NotYet(`master ${s.state}, workers ${JSON.stringify(workers.map((w) => [w.id, w.state]))}`);
        },
        ms,
        what,
        500,
      ),
  };
  await waitFor(
    async () =>
      (await fetch(url)
        .then((r) => r.ok)
        .catch(() => false)) || undefined,
    30_000,
    "the master's web UI",
  );
  return ui;
}
