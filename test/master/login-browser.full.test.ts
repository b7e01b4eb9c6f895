// The web UI login in a real browser: headless Chromium opens the master's web UI, gets the login
// page, types the credentials into it, presses Login, and ends up in the web UI.
// LOADWORKER_LOGIN_SCREENSHOT=path keeps the login page's screenshot (docs/web-login.png came so).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type AccessMaster, PASSWORD, USER, startAccessMaster } from "../support/access.ts";
import { Browser } from "../support/cdp.ts";
import { requireVenv, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

let master: AccessMaster;
let browser: Browser;

beforeAll(async () => {
  requireVenv();
  master = await startAccessMaster({ LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD: PASSWORD });
  browser = await Browser.launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  master?.proc.kill("SIGTERM");
  if (master) await within(master.proc.exited, 30_000, "the master to stop");
}, 60_000);

describe("the web UI in headless Chromium, with a login configured", () => {
  test("shows the login page, and after typing the credentials the web UI", async () => {
    const page = await browser.open(`http://127.0.0.1:${master.webPort}/stats/requests`);
    await page.until(`location.pathname === "/login" && !!document.querySelector('input[name="password"]')`, "the login form");
    const shot = join(tempDir("login-shot"), "login.png");
    await page.screenshot(shot);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    if (process.env.LOADWORKER_LOGIN_SCREENSHOT) copyFileSync(shot, process.env.LOADWORKER_LOGIN_SCREENSHOT);
    // Nothing of the web UI before logging in: the page's own fetch is sent to the login page too.
    expect(await page.eval<boolean>(`fetch("/stats/requests").then((r) => r.url.includes("/login"))`)).toBe(true);

    await page.type('input[name="username"]', USER);
    await page.type('input[name="password"]', PASSWORD);
    await page.eval(`document.querySelector('button[type="submit"]').click()`);
    await page.until(`location.pathname === "/" && !document.querySelector('input[name="password"]')`, "the web UI after logging in");
    const state = await page.eval<string>(`fetch("/stats/requests").then((r) => r.json()).then((j) => j.state)`);
    expect(state).toBe("ready");
    expect(master.proc.output()).not.toContain(PASSWORD);
  }, 120_000);
});
