// The command line, through the real compiled binary: flags, exit codes, --run-tasks,
// `locustfile`, start-up validation, retrying without a master, SIGTERM; and src/main.ts under Deno.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { type AddressInfo, type Server, createServer } from "node:net";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import {
  type CountingServer,
  type Proc,
  ROOT,
  VENV_BIN,
  buildWorker,
  countingServer,
  freePort,
  requireVenv,
  startProc,
  testBinaryPath,
  tempDir,
} from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";

const FIXTURES = join(ROOT, "test/cli/fixtures");
const DENO = join(ROOT, "node_modules/.bin/deno");
let fixtureBin: string;
let repoBin: string;
let server: CountingServer;

beforeAll(async () => {
  // One at a time: scripts/build.ts writes the same .build/entry.ts for every build.
  fixtureBin = await buildWorker(join(FIXTURES, "tasks"), testBinaryPath("cli-test"));
  // The repo's own tasks/, built to a side path so a ./loadworker someone is running is left alone.
  repoBin = await buildWorker(join(ROOT, "tasks"), testBinaryPath("cli-repo"));
  server = await countingServer();
}, 300_000);

afterAll(async () => {
  await server?.close();
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (bounded) and splits its output streams. */
async function run(cmd: string, args: string[], ms = 20_000): Promise<Result> {
  const proc = startProc(cmd, args);
  let stdout = "";
  let stderr = "";
  proc.child.stdout?.on("data", (d) => (stdout += d));
  proc.child.stderr?.on("data", (d) => (stderr += d));
  try {
    const code = await within(proc.exited, ms, `${cmd} ${args.join(" ")}`);
    return { code, stdout, stderr };
  } finally {
    proc.kill("SIGKILL");
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: an SGR colour sequence starts with ESC (\x1b)
const ANSI = /\x1b\[[0-9;]*m/;

/** A TCP listener that only counts connections: a stand-in master port that can tell if anyone came. */
async function countingListener(port = 0): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<import("node:net").Socket>();
  const listener: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => {}); // the worker may reset it; that is not what is under test
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (listener.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        listener.close(() => resolve());
      }),
  };
}

describe("loadworker flags", () => {
  test("--help exits 0 and lists every flag and the subcommands", async () => {
    const { code, stdout } = await run(fixtureBin, ["--help"]);
    expect(code).toBe(0);
    for (const flag of ["--master-host", "--master-port", "--host", "--loglevel", "--run-tasks"]) expect(stdout).toContain(flag);
    for (const command of ["worker", "locustfile", "demo-target", "loadworker <command> --help"]) expect(stdout).toContain(command);
  });

  // A password in --host shows in `ps`; the help says where else the host can go.
  for (const args of [["--help"], ["run", "--help"]]) {
    test(`${args.join(" ")} names LOADWORKER_HOST beside --host`, async () => {
      const { code, stdout } = await run(fixtureBin, args);
      expect(code).toBe(0);
      expect(stdout).toMatch(/ {2}--host=<host>\n(?: {6}.*\n)*? {6}.*LOADWORKER_HOST/);
    });
  }

  // citty pads every row to the longest description (254 columns): a terminal wrapped it into noise.
  for (const args of [["--help"], ["run", "--help"]]) {
    test(`${args.join(" ")} into a pipe fits 80 columns: each flag on its line, its description beneath`, async () => {
      const { stdout } = await run(fixtureBin, args);
      const lines = stdout.split("\n");
      expect(lines.filter((l) => l.length > 80)).toEqual([]);
      expect(lines.filter((l) => l !== l.trimEnd())).toEqual([]);
      expect(lines).toContain("  --loglevel=<loglevel>");
      expect(lines).toContain("      Log level: debug, info, warn, error (Default: info)");
    });
  }

  // `--help | less` or `> usage.txt` must not show escape codes (citty colours regardless).
  for (const args of [["--help"], ["run", "--help"], ["locustfile", "--help"]]) {
    test(`${args.join(" ")} into a pipe has no colour codes`, async () => {
      const { code, stdout } = await run(fixtureBin, args);
      expect(code).toBe(0);
      expect(stdout).toContain("USAGE");
      expect(stdout).not.toMatch(ANSI);
    });
  }

  test("--version prints package.json's version and nothing else", async () => {
    const { code, stdout } = await run(fixtureBin, ["--version"]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  test("--version next to other flags still only prints the version", async () => {
    const { code, stdout, stderr } = await run(fixtureBin, ["--loglevel", "debug", "--version"], 10_000);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(stderr).not.toContain("connecting");
  });

  test("--version after a command prints the version and runs nothing (`run --version` started a run)", async () => {
    const before = server.total();
    for (const command of ["run", "locustfile", "demo-target"]) {
      const { code, stdout, stderr } = await run(fixtureBin, [command, "--host", server.url, "--version"], 10_000);
      expect([command, code, stdout, stderr]).toEqual([command, 0, `${pkg.version}\n`, ""]);
    }
    expect(server.total()).toBe(before);
  });

  const usageErrors: Array<[string, string[], string]> = [
    ["an unknown flag", ["--master-prot", "5557"], '"--master-prot"'],
    ["--master-port 0", ["--master-port", "0"], '--master-port must be a port number from 1 to 65535, got "0"'],
    ["--master-port abc", ["--master-port", "abc"], 'got "abc"'],
    ["--master-port without a value", ["--master-port"], "--master-port needs a value"],
    ["--loglevel loud", ["--loglevel", "loud"], '--loglevel must be one of debug, info, warn, error, got "loud"'],
    ["--host not-a-url", ["--host", "not-a-url"], '--host must be a URL such as http://127.0.0.1:8099, got "not-a-url"'],
    ["--host with another scheme", ["--host", "ftp://example.com"], "--host must be an http:// or https:// URL"],
    [
      "an unknown command",
      ["walk"],
      'unknown command "walk"; the commands are worker (the default), locustfile, demo-target, run, init, build; see loadworker --help',
    ],
    [
      "a flag of `run` given to the worker",
      ["-u", "5"],
      'unknown flag "-u" for loadworker; it is a flag of "loadworker run", e.g. loadworker run -u 5; valid flags: --master-host',
    ],
    [
      "a flag of the worker given to `run`",
      ["run", "--master-port", "5557"],
      'unknown flag "--master-port" for loadworker run; it is a flag of "loadworker worker", e.g. loadworker worker --master-port 5557',
    ],
    ["run's positional as a flag", ["run", "--names", "X"], 'unknown flag "--names" for loadworker run'],
    [
      "a switch given a value",
      ["run", "--abort-on-fail=no", "--threshold", "p95<5"],
      '--abort-on-fail is a switch and takes no value: write it alone; got "--abort-on-fail=no"',
    ],
    ["a missing value, naming the command's help", ["run", "-u"], "-u needs a value; see loadworker run --help"],
    ["a value missing before the next short flag", ["run", "-u", "-t", "5s"], "-u needs a value; see loadworker run --help"],
    [
      "an empty --master-host",
      ["--master-host", "", "--master-port", "1"],
      "--master-host needs the Locust master's host name or address, e.g. --master-host 127.0.0.1",
    ],
    [
      "--master-host as a URL",
      ["--master-host", "http://127.0.0.1", "--master-port", "1"],
      '--master-host takes a host name or address, not a URL, e.g. --master-host 127.0.0.1 or --master-host locust-master (the port goes in --master-port); got "http://127.0.0.1"',
    ],
    [
      "--master-host with a port",
      ["--master-host", "127.0.0.1:5557", "--master-port", "1"],
      '--master-host takes no port: write --master-host 127.0.0.1 --master-port 5557; got "127.0.0.1:5557"',
    ],
    [
      "--metrics-host that is no address here",
      ["--metrics-port", "9", "--metrics-host", "256.1.1.1", "--master-port", "1"],
      "--metrics-host 256.1.1.1 cannot be listened on",
    ],
    ["--no- in front of a flag that takes a value", ["--no-loglevel"], 'unknown flag "--no-loglevel"'],
    ["--run-tasks with no names", ["--run-tasks", ","], "--run-tasks needs task names"],
    ["locustfile with an unknown flag", ["locustfile", "--bogus"], 'unknown flag "--bogus" for loadworker locustfile'],
    ["demo-target with a mistyped flag", ["demo-target", "--prot", "9000"], 'unknown flag "--prot" for loadworker demo-target'],
    [
      "--max-rps -1",
      ["--max-rps", "-1"],
      '--max-rps must be a number of task executions per second >= 0 (0: no cap), e.g. --max-rps 500; got "-1"',
    ],
    ["--max-rps fast", ["--max-rps", "fast"], "--max-rps must be a number"],
    [
      "--request-increase-rate fast",
      ["--request-increase-rate", "fast"],
      '--request-increase-rate: expected a whole number of tasks per second to add, optionally per period, e.g. "10", "10/1s" or "10/500ms"; got "fast"',
    ],
    ["--request-increase-rate 10/", ["--request-increase-rate", "10/"], "--request-increase-rate: expected"],
    ["--metrics-port 70000", ["--metrics-port", "70000"], '--metrics-port must be a port number from 1 to 65535, got "70000"'],
    ["--metrics-port 0", ["--metrics-port", "0"], '--metrics-port must be a port number from 1 to 65535, got "0"'],
  ];
  for (const [what, args, message] of usageErrors) {
    test(`${what} exits 2 and says what is wrong on stderr`, async () => {
      const { code, stdout, stderr } = await run(fixtureBin, args);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).toContain("[E_USAGE]");
      expect(stdout).toBe("");
    });
  }
});

describe("loadworker --metrics-port", () => {
  test("on a port that is taken exits 2 naming the flag, before connecting to the master", async () => {
    const taken = await countingListener();
    const master = await countingListener();
    try {
      const { code, stderr } = await run(fixtureBin, [
        "--master-port",
        String(master.port),
        "--metrics-port",
        String(taken.port),
        "--metrics-host",
        "127.0.0.1",
      ]);
      expect(code).toBe(2);
      expect(stderr).toContain(
        `--metrics-port ${taken.port} on 127.0.0.1 is already in use; pick another port or stop what holds it [E_USAGE]`,
      );
      expect(master.connections()).toBe(0);
    } finally {
      await taken.close();
      await master.close();
    }
  });
});

describe("loadworker --run-tasks", () => {
  test("runs the seed tasks once against --host, one line per request, and exits 0", async () => {
    const before = server.counts.get("/") ?? 0;
    const { code, stdout } = await run(repoBin, ["--run-tasks", "压测MockApi,压测HttpBin", "--host", server.url]);
    expect(code).toBe(0);
    const requests = stdout.split("\n").filter((line) => line.startsWith("["));
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatch(/^\[压测MockApi\] GET 压测MockApi [\d.]+ ms ok \d+ bytes$/);
    expect(requests[1]).toMatch(/^\[压测HttpBin\] GET 压测HttpBin [\d.]+ ms ok \d+ bytes$/);
    expect(stdout).toContain("压测MockApi: 1 recorded, 0 failed");
    expect(server.counts.get("/")).toBe(before + 2);
  });

  test("exits 1 when a task throws or a request fails, and says which", async () => {
    const { code, stdout } = await run(fixtureBin, ["--run-tasks", "boom,ping", "--host", `${server.url}/fail`]);
    expect(code).toBe(1);
    expect(stdout).toContain("boom: 0 recorded, 0 failed, threw Error('fixture task failed on purpose') in boom");
    // The compiled binary maps the throw to the task file's line, not into itself.
    expect(stdout).toMatch(/in boom at test\/cli\/fixtures\/tasks\/fixture\.ts:13:\d+$/m);
    expect(stdout).toMatch(/^\[ping\] GET \S*\/ping [\d.]+ ms FAILED HTTPError\('500 Server Error/m);
    expect(stdout).toContain("ping: 1 recorded, 1 failed");
  });

  // A typo is a usage error (exit 2, as `run NoSuchClass`), not a task that failed (exit 1).
  test("with an unknown task name exits 2 and lists the task names", async () => {
    const { code, stderr } = await run(fixtureBin, ["--run-tasks", "nope", "--host", server.url]);
    expect(code).toBe(2);
    expect(stderr).toContain('no task named "nope"');
    for (const name of ["ping", "boom", "checkout", "browse"]) expect(stderr).toContain(`"${name}"`);
  });
});

describe("loadworker locustfile", () => {
  test("prints a master.py that Locust loads, with every class and its weight", async () => {
    requireVenv();
    const { code, stdout } = await run(fixtureBin, ["locustfile", "--host", "http://127.0.0.1:8099"]);
    expect(code).toBe(0);
    expect(stdout).toContain("class CheckoutUser(User):\n    weight = 3");
    const file = join(tempDir("cli-locustfile"), "master.py");
    writeFileSync(file, stdout);
    const loaded = await run(
      join(VENV_BIN, "python"),
      [
        "-c",
        [
          "import json, sys",
          "from locust.util.load_locustfile import load_locustfile",
          "users, _ = load_locustfile(sys.argv[1])",
          "print(json.dumps({name: [cls.weight, cls.host] for name, cls in users.items()}, sort_keys=True))",
        ].join("\n"),
        file,
      ],
      60_000,
    );
    expect(loaded.stderr).toBe("");
    expect(loaded.code).toBe(0);
    const host = "http://127.0.0.1:8099";
    expect(JSON.parse(loaded.stdout)).toEqual({ BrowseUser: [1, host], CheckoutUser: [3, host], DefaultUser: [1, host] });
  }, 60_000);
});

// The build refuses these folders (test/project/build-checks.test.ts), so the binary meets them through --tasks.
describe("loadworker at start-up", () => {
  for (const [what, folder, named] of [
    ["two tasks with the same name", "duplicate", '"same name"'],
    ["a task with weight 0", "zero-weight", 'task "weightless": weight is 0'],
  ] as const) {
    test(`refuses ${what} with a message naming the task and its file, exit 2, before connecting to the master`, async () => {
      const master = await countingListener();
      try {
        const { code, stderr } = await run(fixtureBin, ["--tasks", join(FIXTURES, folder), "--master-port", String(master.port)]);
        expect(code).toBe(2); // a mistake in a task file is a usage error, as one that does not compile
        expect(stderr).toContain(named);
        expect(stderr).toContain(`${folder}/${folder}.ts:`); // the file (and line) of the definition
        expect(stderr).toContain("[E_CONFIG]");
        expect(stderr).not.toContain("connecting to the Locust master");
        expect(master.connections()).toBe(0);
      } finally {
        await master.close();
      }
    });
  }
});

describe("loadworker without a master", () => {
  let worker: Proc | undefined;
  const stop = async () => {
    worker?.kill("SIGKILL");
    if (worker) await within(worker.exited, 5_000, "the worker to die");
    worker = undefined;
  };

  test("keeps retrying and connects once a master appears on the port", async () => {
    const port = await freePort();
    worker = startProc(fixtureBin, ["--master-port", String(port)]);
    try {
      await waitFor(
        () => /connection refused .*reconnecting in/.test(worker!.output()) || undefined,
        10_000,
        "the worker to log that it retries",
        20,
      );
      expect(worker.child.exitCode).toBeNull();
      // Something listening now: a worker that kept retrying reaches it; one that exited or gave up does not.
      const master = await countingListener(port);
      try {
        await waitFor(() => master.connections() > 0 || undefined, 15_000, "the worker to connect", 20);
      } finally {
        await master.close();
      }
      expect(worker.child.exitCode).toBeNull();
      expect(worker.output()).not.toContain("unexpected error");
    } finally {
      await stop();
    }
  }, 30_000);

  // Off a terminal (supervisord's files, docker logs, CI) its log reads like Locust's own: one line per
  // message with a timestamp and a level, no glyphs, no blank lines around warnings.
  test("logs into a pipe one line per message in Locust's format", async () => {
    const port = await freePort();
    worker = startProc(fixtureBin, ["--master-port", String(port)]);
    try {
      await waitFor(() => /reconnecting in/.test(worker!.output()) || undefined, 10_000, "the worker to log that it retries", 20);
      const lines = worker.output().split("\n").slice(0, 2);
      const stamp = String.raw`^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] [^/\s]+`;
      expect(lines[0]).toMatch(new RegExp(`${stamp}/INFO/loadworker: connecting to the Locust master at 127\\.0\\.0\\.1:${port} as `));
      expect(lines[1]).toMatch(new RegExp(`${stamp}/INFO/loadworker: connection refused by master at 127\\.0\\.0\\.1:${port} `));
    } finally {
      await stop();
    }
  }, 30_000);

  test("exits 0 promptly on SIGTERM", async () => {
    const port = await freePort();
    worker = startProc(fixtureBin, ["--master-port", String(port)]);
    try {
      await waitFor(() => worker!.output().includes("connecting to the Locust master") || undefined, 10_000, "the worker to start", 20);
      worker.kill("SIGTERM");
      expect(await within(worker.exited, 5_000, "the worker to exit on SIGTERM")).toBe(0);
      expect(worker.output()).toContain("shutting down");
    } finally {
      await stop();
    }
  }, 20_000);
});

describe("src/main.ts under Deno", () => {
  test("runs a task with --run-tasks against --host and exits 0", async () => {
    const before = server.counts.get("/") ?? 0;
    const { code, stdout, stderr } = await run(
      DENO,
      ["run", "-A", join(ROOT, "src/main.ts"), "--run-tasks", "压测MockApi", "--host", server.url],
      120_000,
    );
    expect(stderr).not.toContain("error");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\[压测MockApi\] GET 压测MockApi [\d.]+ ms ok \d+ bytes$/m);
    expect(server.counts.get("/")).toBe(before + 1);
  }, 120_000);
});
