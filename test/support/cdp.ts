// Headless Chromium driven over the DevTools protocol (its WebSocket on 127.0.0.1), for tests
// that must click through a page as a person does: type into fields, press a button, screenshot.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { chromiumPath } from "./chromium.ts";
import { tempDir } from "./procs.ts";
import { waitFor, within } from "./wait.ts";

// biome-ignore lint/suspicious/noExplicitAny: a Chrome DevTools Protocol result, whose shape depends on the method called
type Reply = { id: number; result?: any; error?: { message: string } };

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: WebSocket,
  ) {
    socket.addEventListener("message", (event) => {
      const reply = JSON.parse(String(event.data)) as Reply;
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  static async launch(): Promise<Browser> {
    const child = spawn(
      chromiumPath(),
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        `--user-data-dir=${tempDir("cdp")}`,
        "--window-size=1000,700",
        "about:blank",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d));
    const url = await waitFor(
      () => /DevTools listening on (ws:\/\/\S+)/.exec(err)?.[1],
      60_000,
      `chromium's DevTools endpoint (stderr: ${err})`,
    );
    const socket = new WebSocket(url);
    await within(
      new Promise((resolve, reject) => (socket.addEventListener("open", resolve), socket.addEventListener("error", reject))),
      10_000,
      "the DevTools socket",
    );
    return new Browser(child, socket);
  }

  /** One protocol command; `sessionId` addresses a page attached with `open`. */
  // biome-ignore lint/suspicious/noExplicitAny: as Reply.result: the caller knows the method it sent
  send(method: string, params: object = {}, sessionId?: string): Promise<any> {
    const id = this.nextId++;
    const reply = new Promise<Reply>((resolve) => this.pending.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    return within(reply, 30_000, `DevTools ${method}`).then((r) => {
      if (r.error) throw new Error(`DevTools ${method}: ${r.error.message}`);
      return r.result;
    });
  }

  async open(url: string): Promise<Page> {
    const { targetId } = await this.send("Target.createTarget", { url });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    return new Page(this, sessionId);
  }

  async close(): Promise<void> {
    this.socket.close();
    this.child.kill("SIGKILL");
  }
}

export class Page {
  constructor(
    private readonly browser: Browser,
    private readonly sessionId: string,
  ) {}

  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  async eval<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.browser.send(
      "Runtime.evaluate",
      { expression, awaitPromise: true, returnByValue: true },
      this.sessionId,
    );
    if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  /** Waits until `expression` is truthy in the page. */
  until(expression: string, what: string): Promise<unknown> {
    return waitFor(async () => (await this.eval<unknown>(expression).catch(() => undefined)) || undefined, 30_000, what, 200);
  }

  /** Focuses the element and types `text` into it, as keyboard input. */
  async type(selector: string, text: string): Promise<void> {
    await this.eval(`document.querySelector(${JSON.stringify(selector)}).focus()`);
    await this.browser.send("Input.insertText", { text }, this.sessionId);
  }

  async screenshot(pngFile: string): Promise<void> {
    const { data } = await this.browser.send("Page.captureScreenshot", { format: "png" }, this.sessionId);
    writeFileSync(pngFile, Buffer.from(data as string, "base64"));
  }
}
