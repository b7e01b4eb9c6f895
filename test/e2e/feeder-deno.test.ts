// Feeders under Deno (the uncompiled runtime, src/main.ts): `loadworker run` with a unique feeder
// hands each of 200 rows to one user, and a malformed file stops the start with exit 2.
import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { ROOT, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

const e2e = useE2e({ tasks: false });
const DENO = join(ROOT, "node_modules/.bin/deno");

function denoRun(csv: string, args: string[]) {
  const dir = tempDir("feeder-deno");
  writeFileSync(join(dir, "rows.csv"), csv);
  const env = { LOADWORKER_TASKS_DIR: join(ROOT, "test/e2e/feeder-tasks"), NO_COLOR: "1" };
  const proc = startProc(DENO, ["run", "-A", join(ROOT, "src/main.ts"), "run", ...args], { cwd: dir, env });
  e2e.onStop(() => proc.kill("SIGKILL"));
  return { proc, file: join(dir, "rows.csv") };
}

test("under Deno: a unique feeder hands each of 200 rows to one user; a malformed file exits 2 naming its line", async () => {
  const rows = Array.from({ length: 200 }, (_, i) => `${i},name-${i}`).join("\n");
  const { proc } = denoRun(`id,name\n${rows}\n`, ["-u", "5", "-r", "5", "-t", "3s", "--host", e2e.server.url]);
  expect(await within(proc.exited, 60_000, "loadworker run under Deno")).toBe(0);
  const ids = [...e2e.server.counts].map(([path, n]) => [Number(/^\/row\/(\d+)$/.exec(path)?.[1]), n]);
  expect(ids.filter(([, n]) => n !== 1)).toEqual([]);
  expect(ids.map(([id]) => id).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 200 }, (_, i) => i));

  const bad = denoRun('id,name\n1,"open\n', ["-u", "1", "-t", "1s", "--host", e2e.server.url]);
  expect(await within(bad.proc.exited, 60_000, "loadworker run under Deno")).toBe(2);
  expect(bad.proc.output().trim()).toBe(
    `loadworker: ${bad.file}:2: a quoted field is never closed (unterminated quote); fix the file and start again [E_USAGE]`,
  );
}, 120_000);
