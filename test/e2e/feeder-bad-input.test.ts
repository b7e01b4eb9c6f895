// A malformed data file stops the start with one message naming the file and the line, exit 2,
// before any load: `run`, `run --processes 2` and the worker alike (the sources under Bun, with
// test/e2e/feeder-tasks; the binary is the same code, test/e2e/feeder.full.test.ts runs it).
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { BUN, ROOT, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

const e2e = useE2e({ tasks: false }); // the counting server: it must see no request

async function start(csv: string, args: string[]): Promise<{ code: number; output: string; file: string }> {
  const dir = tempDir("feeder-bad");
  const file = join(dir, "rows.csv");
  writeFileSync(file, csv);
  const env = { LOADWORKER_TASKS_DIR: join(ROOT, "test/e2e/feeder-tasks"), NO_COLOR: "1" };
  const proc = startProc(BUN, [join(ROOT, "src/main.ts"), ...args], { cwd: dir, env });
  e2e.onStop(() => proc.kill("SIGKILL"));
  const code = await within(proc.exited, 30_000, `loadworker ${args.join(" ")}`);
  return { code, output: proc.output(), file };
}

const CASES = [
  {
    what: "an unterminated quote",
    csv: 'id,name\n1,ann\n2,"bob\n3,cy\n',
    line: 3,
    says: "a quoted field is never closed (unterminated quote)",
  },
  {
    what: "a wrong column count",
    csv: "id,name\n1,ann\n\n2,bob,extra\n",
    line: 4,
    says: "3 fields where the header has 2 (wrong column count)",
  },
];

describe.each(CASES)("$what", ({ csv, line, says }) => {
  test.each([
    ["run", ["run", "-u", "2", "-t", "3s"]],
    ["run --processes 2", ["run", "-u", "2", "-t", "3s", "--processes", "2"]],
    ["the worker", ["--master-port", "1"]],
  ])(
    "%s: exit 2 with file:line, no request sent",
    async (_label, args) => {
      const { code, output, file } = await start(csv, [...args, "--host", e2e.server.url]);
      expect(code).toBe(2);
      expect(output.trim()).toBe(`loadworker: ${file}:${line}: ${says}; fix the file and start again [E_USAGE]`); // one message, nothing else
      expect(e2e.server.total()).toBe(0);
    },
    40_000,
  ); // a start under Bun from source, on a loaded machine
});

test("`loadworker locustfile` reads no data file: it writes master.py with the unique feeder's master side wherever it runs", async () => {
  const { code, output } = await start('not,a\nvalid,"csv\n', ["locustfile"]);
  expect(code).toBe(0);
  expect(output).toContain('runner.register_message("_loadworker_feeder_request", _lw_feeder_request)');
}, 40_000);
