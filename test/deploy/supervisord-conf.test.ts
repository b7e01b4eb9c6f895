// scripts/lib/supervisord-conf.sh turns the image's supervisord.conf into the one up.sh runs.
import { describe, expect, test } from "bun:test";
import { read, root } from "./helpers.ts";

function rewrite(args: string[]): { code: number; out: string; err: string } {
  const proc = Bun.spawnSync(["bash", "scripts/lib/supervisord-conf.sh", ...args], {
    cwd: root,
    stdin: new TextEncoder().encode(read("supervisord.conf")),
  });
  return { code: proc.exitCode ?? -1, out: proc.stdout.toString(), err: proc.stderr.toString() };
}
const settings = (conf: string) => conf.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith(";"));
const commandOf = (conf: string, program: string) => {
  const lines = conf.split("\n");
  const start = lines.indexOf(`[program:${program}]`);
  return lines
    .slice(start)
    .find((l) => l.startsWith("command="))
    ?.slice("command=".length);
};

describe("the runtime supervisord.conf", () => {
  const app = "/srv/run/app";
  const run = "/srv/run";
  const { code, out } = rewrite([
    "--app-dir",
    app,
    "--run-dir",
    run,
    "--web-port",
    "18090",
    "--master-port",
    "15557",
    "--demo-port",
    "18099",
    "--workers",
    "3",
  ]);

  test("is produced without error", () => {
    expect(code).toBe(0);
  });

  test("runs the built app instead of /app and keeps state in the run dir instead of /tmp", () => {
    expect(commandOf(out, "loadworker")).toBe(`'${app}/loadworker' --master-host 127.0.0.1 --master-port 15557 --processes 3`);
    expect(commandOf(out, "demo")).toBe(`'${app}/loadworker' demo-target --port 18099 --bind 127.0.0.1`);
    expect(commandOf(out, "locust")).toContain(`-f '${app}/master.py'`);
    expect(out).toContain(`file=${run}/supervisor.sock`);
    expect(out).toContain(`serverurl=unix://${run}/supervisor.sock`);
    expect(out).toContain(`pidfile=${run}/supervisord.pid`);
    for (const line of settings(out)) expect(line.replaceAll(app, "APP")).not.toMatch(/\/app\/|\/tmp\//);
  });

  test("uses the chosen ports and the demo target as default host", () => {
    expect(commandOf(out, "locust")).toBe(
      `locust -f '${app}/master.py' --master --web-host=127.0.0.1 --web-port=18090 --master-bind-port=15557 --host=http://127.0.0.1:18099`,
    );
    for (const line of settings(out)) expect(line).not.toMatch(/\b(8090|5557|8099)\b/);
  });

  test("listens on loopback only", () => {
    expect(out).not.toContain("0.0.0.0");
  });

  test("starts the requested number of worker processes, in one supervised program", () => {
    expect(commandOf(out, "loadworker")).toEndWith(" --processes 3");
    expect(settings(out)).toContain("numprocs=1");
  });

  test("keeps one worker process per CPU core when no number is given", () => {
    const { out } = rewrite(["--app-dir", app, "--run-dir", run]);
    expect(commandOf(out, "loadworker")).toEndWith(" --processes -1");
  });

  test("changes nothing else", () => {
    const before = settings(read("supervisord.conf"));
    const after = settings(out);
    expect(after.length).toBe(before.length);
    const changed = after.filter((line, i) => line !== before[i]).map((l) => l.split("=")[0]);
    expect(changed).toEqual(["pidfile", "file", "serverurl", "command", "command", "command"]);
  });
});

describe("paths that are not plain", () => {
  test("quotes a run dir with spaces so supervisord keeps the command's argv intact", () => {
    const { out } = rewrite(["--app-dir", "/home/a b/run/app", "--run-dir", "/home/a b/run"]);
    expect(commandOf(out, "loadworker")).toBe("'/home/a b/run/app/loadworker' --master-host 127.0.0.1 --master-port 5557 --processes -1");
  });

  test("rewrites a run dir that itself contains /tmp/ or /app/ only once", () => {
    const { out } = rewrite(["--app-dir", "/tmp/app/x/app", "--run-dir", "/tmp/app/x"]);
    expect(commandOf(out, "demo")).toStartWith("'/tmp/app/x/app/loadworker' demo-target");
    expect(out).toContain("pidfile=/tmp/app/x/supervisord.pid");
  });

  test("escapes % (supervisord expands %(name)s) and sed's & in paths", () => {
    const { out } = rewrite(["--app-dir", "/r/100%&co/app", "--run-dir", "/r/100%&co"]);
    expect(out).toContain("pidfile=/r/100%%&co/supervisord.pid");
  });
});

describe("bad arguments", () => {
  test("are refused with a message", () => {
    const missing = rewrite(["--app-dir", "/x"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--app-dir and --run-dir are required");
    const notANumber = rewrite(["--app-dir", "/x", "--run-dir", "/y", "--workers", "two"]);
    expect(notANumber.code).toBe(2);
    expect(notANumber.err).toContain("'two' is not a number");
    const zero = rewrite(["--app-dir", "/x", "--run-dir", "/y", "--workers", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.err).toContain("--workers must be -1 (one per CPU core) or a number of processes");
  });
});
