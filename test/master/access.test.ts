// Who may start a load test: the generated master.py under a real Locust master (from .venv),
// driven over HTTP(S) on 127.0.0.1 as an operator and as a stranger would.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { type AccessMaster, CERT, KEY, PASSWORD, USER, startAccessMaster } from "../support/access.ts";
import { accepts, listeningAddresses } from "../support/listeners.ts";
import { ROOT, requireVenv, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";
import { WebSession, redirectPath } from "../support/web-session.ts";

const SWARM = { user_count: 1, spawn_rate: 1, host: "http://127.0.0.1:9" };
const stop = async (m: AccessMaster | undefined) => {
  if (!m || m.proc.child.exitCode !== null) return;
  m.proc.kill("SIGTERM");
  await within(m.proc.exited, 30_000, "the master to stop");
};

beforeAll(() => requireVenv());

describe("with LOADWORKER_WEB_USER and LOADWORKER_WEB_PASSWORD set", () => {
  let master: AccessMaster;
  const ui = () => `http://127.0.0.1:${master.webPort}`;
  beforeAll(async () => {
    master = await startAccessMaster({ LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD: PASSWORD });
  }, 60_000);
  afterAll(() => stop(master), 60_000);

  test("a request without a session gets the login page instead of /, /stats/requests or /swarm", async () => {
    const stranger = new WebSession(ui());
    for (const [path, form] of [
      ["/", undefined],
      ["/stats/requests", undefined],
      ["/swarm", SWARM],
    ] as const) {
      const res = await stranger.request(path, { form });
      expect(res.status, path).toBe(302);
      expect(redirectPath(res), path).toStartWith("/login?next=");
      expect(await res.text(), path).not.toContain("user_count");
    }
  });

  test("the login page offers a username/password form", async () => {
    const form = await new WebSession(ui()).loginForm();
    expect(form.username_password_callback).toBe("/login_submit");
  });

  test("a wrong password or user gets no session, and the page says so", async () => {
    for (const [user, password] of [
      [USER, "wrong"],
      ["intruder", PASSWORD],
      [USER, ""],
      [USER, `${PASSWORD} `],
    ]) {
      const stranger = new WebSession(ui());
      const res = await stranger.login(user as string, password as string);
      expect(redirectPath(res)).toBe("/login");
      expect((await stranger.loginForm()).error).toBe("Invalid username or password");
      expect((await stranger.request("/stats/requests")).status).toBe(302);
    }
  });

  test("after logging in through the login page, /, /stats/requests and /swarm answer", async () => {
    const operator = new WebSession(ui());
    const login = await operator.login(USER, PASSWORD);
    expect(login.status).toBe(302);
    expect(redirectPath(login)).toBe("/");
    const index = await operator.request("/");
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("WebUser");
    const stats = await operator.request("/stats/requests");
    expect(stats.status).toBe(200);
    expect(await stats.json()).toHaveProperty("state");
    const swarm = await operator.request("/swarm", { form: SWARM });
    expect(swarm.status).toBe(200);
    expect(await swarm.json()).toHaveProperty("success");
  });

  test("no log line holds the password, and the open-UI warning is not given", () => {
    const log = master.proc.output();
    expect(log).toContain("the web UI requires a login");
    expect(log).toContain("web UI: failed login from 127.0.0.1");
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain("correct horse");
    expect(log).not.toContain("is open");
  });
});

describe("without the two variables", () => {
  let master: AccessMaster;
  beforeAll(async () => {
    master = await startAccessMaster({});
  }, 60_000);
  afterAll(() => stop(master), 60_000);

  test("the web UI stays open and the master logs one warning that says how to close it", async () => {
    expect((await fetch(`http://127.0.0.1:${master.webPort}/stats/requests`)).status).toBe(200);
    const warnings = master.proc
      .output()
      .split("\n")
      .filter((l) => l.includes("is open"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`the web UI on 127.0.0.1:${master.webPort} is open: anyone who reaches that port can start a load test`);
    expect(warnings[0]).toContain("Set LOADWORKER_WEB_USER and LOADWORKER_WEB_PASSWORD");
  });

  test("the worker port listens on 127.0.0.1 only, and the master says so and how to open it", () => {
    expect(listeningAddresses(master.masterPort)).toEqual(["127.0.0.1"]);
    expect(master.proc.output()).toContain(
      `workers: port ${master.masterPort} on 127.0.0.1 only (workers on this machine); LOADWORKER_MASTER_BIND=0.0.0.0 or --master-bind-host 0.0.0.0 lets other machines join`,
    );
  });
});

describe("the password from a file", () => {
  const dir = tempDir("password-file");
  const file = join(dir, "password");
  writeFileSync(file, `${PASSWORD}\n`);

  const loginWorks = async (master: AccessMaster) => {
    const session = new WebSession(`http://127.0.0.1:${master.webPort}`);
    expect((await session.request("/stats/requests")).status).toBe(302);
    expect((await session.login(USER, "wrong")).headers.get("location")).toBe("/login");
    expect(redirectPath(await session.login(USER, PASSWORD))).toBe("/");
    expect((await session.request("/stats/requests")).status).toBe(200);
  };

  test("LOADWORKER_WEB_PASSWORD_FILE: the file's first line is the password", async () => {
    const master = await startAccessMaster({ LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD_FILE: file });
    try {
      await loginWorks(master);
      expect(master.proc.output()).not.toContain(PASSWORD);
    } finally {
      await stop(master);
    }
  }, 60_000);

  test("loadworker locustfile --web-user/--web-password-file: the login is on with no variable set, and master.py holds no password", async () => {
    const cli = spawnSync(process.execPath, ["src/main.ts", "locustfile", "--web-user", USER, "--web-password-file", file], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(file);
    expect(cli.stdout).not.toContain(PASSWORD);
    const master = await startAccessMaster({}, { baked: { LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD_FILE: file } });
    try {
      await loginWorks(master);
      expect(readFileSync(join(master.dir, "master.py"), "utf8")).not.toContain(PASSWORD);
    } finally {
      await stop(master);
    }
  }, 60_000);

  test("loadworker locustfile refuses one of the two flags without the other", () => {
    const cli = spawnSync(process.execPath, ["src/main.ts", "locustfile", "--web-user", USER], { cwd: ROOT, encoding: "utf8" });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain("--web-user and --web-password-file go together");
  });
});

describe("LOADWORKER_MASTER_BIND", () => {
  test("opens the worker port on the address it names", async () => {
    // 127.0.0.2 is loopback too: proves the setting is honoured without listening beyond this machine.
    const master = await startAccessMaster({ LOADWORKER_MASTER_BIND: "127.0.0.2" });
    try {
      expect(listeningAddresses(master.masterPort)).toEqual(["127.0.0.2"]);
      expect(master.proc.output()).not.toContain("workers: port");
    } finally {
      await stop(master);
    }
  }, 60_000);
});

describe("with LOADWORKER_TLS_CERT and LOADWORKER_TLS_KEY set", () => {
  let master: AccessMaster;
  beforeAll(async () => {
    master = await startAccessMaster({
      LOADWORKER_TLS_CERT: CERT,
      LOADWORKER_TLS_KEY: KEY,
      LOADWORKER_WEB_USER: USER,
      LOADWORKER_WEB_PASSWORD: PASSWORD,
    });
  }, 60_000);
  afterAll(() => stop(master), 60_000);

  test("the web UI serves https with that certificate", async () => {
    const served = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({ host: "127.0.0.1", port: master.webPort, rejectUnauthorized: false }, () => {
        resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? "none");
        socket.destroy();
      });
      socket.once("error", reject);
    });
    expect(served).toBe(new X509Certificate(readFileSync(CERT)).fingerprint256);
  });

  test("the login works over https, with a session cookie marked Secure", async () => {
    const operator = new WebSession(`https://127.0.0.1:${master.webPort}`, { tls: { rejectUnauthorized: false } });
    expect((await operator.request("/stats/requests")).status).toBe(302);
    const login = await operator.login(USER, PASSWORD);
    expect(login.headers.getSetCookie().join("\n")).toMatch(/;\s*Secure/i);
    expect((await operator.request("/stats/requests")).status).toBe(200);
  });

  test("plain http gets no web UI", async () => {
    const res = await fetch(`http://127.0.0.1:${master.webPort}/`).catch((e: unknown) => e);
    expect(res instanceof Response && res.ok).toBe(false);
  });
});

describe("bad settings stop the master with one message naming the setting", () => {
  const dir = tempDir("bad-access");
  const missing = `${dir}/absent.pem`;
  const cases: [string, Record<string, string>, string][] = [
    ["only the user", { LOADWORKER_WEB_USER: USER }, "LOADWORKER_WEB_USER is set but LOADWORKER_WEB_PASSWORD is not"],
    ["only the password", { LOADWORKER_WEB_PASSWORD: PASSWORD }, "LOADWORKER_WEB_PASSWORD is set but LOADWORKER_WEB_USER is not"],
    ["an empty password", { LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD: "" }, "LOADWORKER_WEB_PASSWORD is empty"],
    [
      "an unreadable certificate",
      { LOADWORKER_TLS_CERT: missing, LOADWORKER_TLS_KEY: KEY },
      `LOADWORKER_TLS_CERT=${missing} cannot be read`,
    ],
    ["an unreadable key", { LOADWORKER_TLS_CERT: CERT, LOADWORKER_TLS_KEY: missing }, `LOADWORKER_TLS_KEY=${missing} cannot be read`],
    [
      "a key that is no key",
      { LOADWORKER_TLS_CERT: CERT, LOADWORKER_TLS_KEY: CERT },
      "LOADWORKER_TLS_CERT and LOADWORKER_TLS_KEY are not a PEM certificate and its key",
    ],
    ["only a certificate", { LOADWORKER_TLS_CERT: CERT }, "LOADWORKER_TLS_CERT is set but LOADWORKER_TLS_KEY is not"],
    ["an empty worker port address", { LOADWORKER_MASTER_BIND: "" }, "LOADWORKER_MASTER_BIND is empty"],
    [
      "a worker port address that does not resolve",
      { LOADWORKER_MASTER_BIND: "no-such-host.invalid" },
      "LOADWORKER_MASTER_BIND=no-such-host.invalid is not an address this machine can listen on",
    ],
    [
      "a worker port address of another machine",
      { LOADWORKER_MASTER_BIND: "192.0.2.1" },
      "LOADWORKER_MASTER_BIND=192.0.2.1 is not an address this machine can listen on",
    ],
    [
      "an unreadable password file",
      { LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD_FILE: missing },
      `LOADWORKER_WEB_PASSWORD_FILE=${missing} cannot be read`,
    ],
    [
      "an empty password file",
      { LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD_FILE: "/dev/null" },
      "LOADWORKER_WEB_PASSWORD_FILE=/dev/null holds no password",
    ],
    [
      "a password file without a user",
      { LOADWORKER_WEB_PASSWORD_FILE: CERT },
      "LOADWORKER_WEB_PASSWORD_FILE is set but LOADWORKER_WEB_USER is not",
    ],
  ];
  test("--web-login without the variables: exits 78, since nobody could log in", async () => {
    const master = await startAccessMaster({}, { waitForWeb: false, extra: ["--web-login"] });
    expect(await within(master.proc.exited, 60_000, "the master to refuse --web-login")).toBe(78);
    expect(master.proc.output()).toContain("--web-login is on but LOADWORKER_WEB_USER and LOADWORKER_WEB_PASSWORD are not set");
    expect(master.proc.output()).not.toContain("is open");
  }, 60_000);

  for (const [what, settings, message] of cases) {
    test(`${what}: exits 78 before opening a port`, async () => {
      const master = await startAccessMaster(settings, { waitForWeb: false });
      const code = await within(master.proc.exited, 60_000, "the master to refuse its settings");
      const errors = master.proc
        .output()
        .split("\n")
        .filter((l) => l.includes("error:"));
      expect(code).toBe(78);
      expect(errors).toEqual([expect.stringContaining(message)]);
      expect(master.proc.output()).not.toContain(PASSWORD);
      expect(await accepts(master.webPort)).toBe(false);
      expect(listeningAddresses(master.masterPort)).toEqual([]);
    }, 60_000);
  }
});
