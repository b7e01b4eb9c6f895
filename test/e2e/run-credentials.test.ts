// `loadworker run --host http://u:secret@…`: the requests carry the credentials as Basic auth,
// and the password shows nowhere: not in the live view, the plain lines, the logs, the summary,
// the CSV, JSON or HTML reports (one process or --processes), nor a --host error, nor the
// command lines of --processes' children (which `ps` shows to every user of the machine). With the
// host in LOADWORKER_HOST (Locust's LOCUST_HOST), no command line on the machine holds it at all.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { childCmdlines, childrenOf, cmdlineOf, tempDir } from "../support/procs.ts";
import { type RunResult, run, runInTerminal, startRun } from "../support/run-cli.ts";
import { waitFor } from "../support/wait.ts";

const BASIC = `Basic ${Buffer.from("u:secret").toString("base64")}`;
let server: Server;
let host = "";
const auth = new Set<string>();
const e2e = useE2e({ tasks: "test/e2e/run-tasks", server: false }); // this file's server records Authorization

beforeAll(async () => {
  server = createServer((req, res) => {
    auth.add(req.headers.authorization ?? "none");
    res.statusCode = req.url?.startsWith("/fail") ? 500 : 200;
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  host = `http://u:secret@127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

/** Every report file of the run, by name. */
function reports(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) files.set(name, readFileSync(join(dir, name), "utf8"));
  return files;
}

function expectNoSecret(result: RunResult, dir: string) {
  expect(result.code).toBe(0);
  const files = reports(dir);
  expect([...files.keys()].sort()).toEqual([
    "r.html",
    "r.json",
    "r_exceptions.csv",
    "r_failures.csv",
    "r_stats.csv",
    "r_stats_history.csv",
  ]);
  const leaks = [["stdout", result.stdout], ["stderr", result.stderr], ...files]
    .filter(([, text]) => text?.includes("secret"))
    .map(([name]) => name);
  expect(leaks).toEqual([]);
  // The host is still shown, masked, where the report names it.
  expect(JSON.parse(files.get("r.json") ?? "{}").config.host).toBe(host.replace("u:secret", "***"));
  expect(files.get("r.html")).toContain("http://***@127.0.0.1");
}

/** --csv, --json and --html, all written next to OUT. */
function everyReport(out: string): string[] {
  return ["--csv", out, "--json", `${out}.json`, "--html", `${out}.html`];
}

describe("loadworker run with a password in --host", () => {
  test("on a terminal: requests authenticate; no password in the live view, logs, summary or reports", async () => {
    auth.clear();
    const dir = tempDir("run-credentials-tty");
    const out = join(dir, "r");
    const result = await runInTerminal(e2e.binary, ["-u", "2", "-r", "2", "-t", "3s", "--host", host, ...everyReport(out)]);
    expect(result.stdout).toContain("loadworker run ·"); // the live view was drawn
    expect(result.stdout).toContain("Response time percentiles");
    expect([...auth]).toEqual([BASIC]);
    expectNoSecret(result, dir);
  }, 120_000);

  test("with --processes 2 and plain lines: no password in the parent's or children's output or the reports", async () => {
    auth.clear();
    const dir = tempDir("run-credentials-processes");
    const out = join(dir, "r");
    const result = await run(e2e.binary, ["--processes", "2", "-u", "2", "-r", "2", "-t", "3s", "--host", host, ...everyReport(out)]);
    expect(result.stdout).toMatch(/^\[\d+s\/3s\]/m); // the plain lines were printed
    expect([...auth]).toEqual([BASIC]);
    expectNoSecret(result, dir);
  }, 120_000);

  test("with --processes 2: the children's command lines hold neither the host nor its password, and their requests authenticate", async () => {
    auth.clear();
    const started = startRun(e2e.binary, ["--processes", "2", "-u", "2", "-r", "2", "-t", "4s", "--host", host]);
    const cmdlines = await childCmdlines(started.pid, 2, () => auth.size > 0, "both children to run and a request to arrive");
    for (const cmdline of cmdlines) {
      expect(cmdline).not.toContain("secret");
      expect(cmdline).not.toContain("--host");
      expect(cmdline).not.toContain("127.0.0.1");
      expect(cmdline).toContain("run --processes 2 -u 2"); // the child's own command line, read while it ran
    }
    const result = await started.result;
    expect(result.code).toBe(0);
    expect([...auth]).toEqual([BASIC]);
    expect(result.stderr).not.toContain("secret");
  }, 120_000);

  test("a --host that is not an http URL is refused without echoing its password", async () => {
    const result = await run(e2e.binary, ["-t", "1s", "--host", "ftp://u:secret@127.0.0.1:1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--host must be an http:// or https:// URL, got "ftp://***@127.0.0.1:1"');
    expect(result.stderr).not.toContain("secret");
  }, 60_000);
});

/** The pid and command line of every process on the machine whose command line holds `text`. */
function cmdlinesHolding(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let cmdline = "";
    try {
      cmdline = cmdlineOf(Number(pid));
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
  }
  return found;
}

describe("loadworker run with the host in LOADWORKER_HOST", () => {
  test("with --processes 2: the requests authenticate, and no command line on the machine holds the host or its password", async () => {
    auth.clear();
    // A password no other process on this shared machine can hold (other runs of this file use "secret").
    const password = `pw${randomUUID().replaceAll("-", "")}`;
    const envHost = host.replace("secret", password);
    const started = startRun(e2e.binary, ["--processes", "2", "-u", "2", "-r", "2", "-t", "4s"], { LOADWORKER_HOST: envHost });
    const leaks = await waitFor(
      () => (childrenOf(started.pid).length === 2 && auth.size > 0 ? cmdlinesHolding(password) : undefined),
      30_000,
      "both children to run and a request to arrive",
    );
    expect(leaks).toEqual([]);
    const result = await started.result;
    expect(result.code).toBe(0);
    expect([...auth]).toEqual([`Basic ${Buffer.from(`u:${password}`).toString("base64")}`]);
    expect(result.stdout + result.stderr).not.toContain(password);
  }, 120_000);

  test("--host wins over LOADWORKER_HOST, as Locust's flag wins over LOCUST_HOST", async () => {
    auth.clear();
    const plain = host.replace("u:secret@", "");
    const result = await run(e2e.binary, ["-u", "1", "-t", "2s", "--host", plain], { LOADWORKER_HOST: "http://other:pw@127.0.0.1:1" });
    expect(result.code).toBe(0);
    expect([...auth]).toEqual(["none"]); // the flag's host (no credentials) was used, not the variable's
  }, 60_000);

  test("a LOADWORKER_HOST that is not an http URL is refused, naming the variable, without echoing its password", async () => {
    const result = await run(e2e.binary, ["-t", "1s"], { LOADWORKER_HOST: "ftp://u:secret@127.0.0.1:1" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LOADWORKER_HOST must be an http:// or https:// URL, got "ftp://***@127.0.0.1:1"');
    expect(result.stderr).not.toContain("secret");
  }, 60_000);
});
