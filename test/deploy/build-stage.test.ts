// The Dockerfile's build stage, replayed without Docker: the context .dockerignore lets through,
// only the packages of the lockfile `npm ci --omit=dev --omit=optional` installs, bun not in
// node_modules (the image has it on PATH), then the stage's own RUN line.
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { read, requirePrerequisites, root, run } from "./helpers.ts";

const work = mkdtempSync(join(tmpdir(), "lw-build-stage-"));
const context = join(work, "src");
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Docker anchors .dockerignore patterns at the context root; a match on any parent excludes a path.
const patterns = read(".dockerignore")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"))
  .map((l) => new Bun.Glob(l.replace(/^\//, "")));
function ignored(relative: string): boolean {
  const parts = relative.split("/");
  return parts.some((_, i) => patterns.some((glob) => glob.match(parts.slice(0, i + 1).join("/"))));
}
function copyContext(from: string, relative = ""): void {
  for (const entry of readdirSync(join(from, relative), { withFileTypes: true })) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (ignored(path)) continue;
    if (entry.isDirectory()) copyContext(from, path);
    else if (entry.isFile()) {
      mkdirSync(dirname(join(context, path)), { recursive: true });
      cpSync(join(from, path), join(context, path));
    }
  }
}

describe("the Dockerfile's build stage, replayed on the host", () => {
  test("builds loadworker and master.py from the docker context and production dependencies only", async () => {
    requirePrerequisites();
    copyContext(root);
    expect(existsSync(join(context, "node_modules"))).toBe(false);
    expect(existsSync(join(context, "tasks"))).toBe(true);

    // What `npm ci --omit=dev --omit=optional` leaves: every lockfile package neither dev nor optional.
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
    for (const [path, meta] of Object.entries(lock.packages)) {
      if (path === "" || meta.dev || meta.optional) continue;
      cpSync(join(root, path), join(context, path), { recursive: true });
    }
    expect(existsSync(join(context, "node_modules/.bin/bun"))).toBe(false);

    const dockerRun = readFileSync(join(root, "Dockerfile"), "utf8")
      .split("\n")
      .find((l) => l.includes("scripts/lib/build.sh"));
    expect(dockerRun).toBe("RUN BUN=bun bash scripts/lib/build.sh --out /out --host http://127.0.0.1:8099");
    const out = join(work, "out");
    // The stage's RUN line with its paths moved into the temp dir; bun found on PATH, as in oven/bun.
    const built = await run(["bash", join(context, "scripts/lib/build.sh"), "--out", out, "--host", "http://127.0.0.1:8099"], 180_000, {
      BUN: "bun",
      PATH: `${join(root, "node_modules/.bin")}:/usr/bin:/bin`,
    });
    expect(built.code, built.stderr).toBe(0);
    const master = readFileSync(join(out, "master.py"), "utf8");
    expect(master).toContain("from locust import User, tag, task");
    // tasks/*.py ride along in the binary: the image's master.py has the accounts example's handlers.
    expect(master).toContain("# ---- tasks/master_extra.py, appended verbatim by `loadworker locustfile` ----");
    expect(master).toContain('host = "http://127.0.0.1:8099"');
    const version = await run([join(out, "loadworker"), "--version"], 30_000);
    expect(version.stdout.trim()).toBe((JSON.parse(read("package.json")) as { version: string }).version);
  }, 240_000);
});
