// Headless Chromium (Debian's `chromium`; scripts/test.sh --full installs it) for report tests: the
// DOM after load, with an optional probe script that measures what was rendered, and screenshots.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./procs.ts";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found === undefined)
    throw new Error("no chromium: run scripts/test.sh --full (it installs Debian's chromium), or apt-get install chromium");
  return found;
}

function run(args: string[]): string {
  const dir = tempDir("chromium");
  const result = spawnSync(
    chromiumPath(),
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-extensions",
      "--disable-dev-shm-usage",
      `--user-data-dir=${dir}`,
      ...args,
    ],
    { encoding: "utf8", timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) throw new Error(`chromium exited ${String(result.status)}: ${result.stderr}`);
  return result.stdout;
}

/**
 * Loads `htmlFile` with `probe` (a script body) appended, and returns the JSON the probe put in
 * `<pre id="probe">`. The report itself has no script; the probe only reads what was rendered.
 */
export function probeRendered<T>(htmlFile: string, probe: string, window = { width: 1400, height: 900 }): T {
  const copy = join(tempDir("probe"), "probed.html");
  writeFileSync(copy, `${readFileSync(htmlFile, "utf8")}<script>${probe}</script>`);
  const dom = run(["--virtual-time-budget=5000", `--window-size=${window.width},${window.height}`, "--dump-dom", `file://${copy}`]);
  const match = /<pre id="probe">([\s\S]*?)<\/pre>/.exec(dom);
  if (match === null) throw new Error(`the probe wrote nothing; DOM starts: ${dom.slice(0, 500)}`);
  return JSON.parse(decodeEntities(match[1] ?? "")) as T;
}

export function screenshot(htmlFile: string, pngFile: string, width = 1000, height = 2000): void {
  const dir = tempDir("shot");
  const page = join(dir, "page.html");
  copyFileSync(htmlFile, page);
  run([`--screenshot=${pngFile}`, `--window-size=${width},${height}`, "--hide-scrollbars", `file://${page}`]);
  if (!existsSync(pngFile)) throw new Error(`chromium wrote no screenshot to ${pngFile}`);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
