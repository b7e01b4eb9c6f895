// feeder() without a master: the orders, this process's share of a unique file under
// `run --processes`, where a relative file is found, and the start-up check of the file.
import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { StopUser } from "../../src/api/control.ts";
import { makeFeeder } from "../../src/data/feeder.ts";
import { setProcessShare } from "../../src/data/unique.ts";
import { useTaskFiles } from "../../src/api/task-files.ts";
import { LoadworkerError } from "../../src/errors.ts";
import { feeder } from "../../src/index.ts";
import { runWithRecorder } from "../../src/users/current.ts";
import { recordingRecorder, seeded } from "../support/fakes.ts";
import { tempDir } from "../support/procs.ts";

const inTask = <T>(fn: () => Promise<T>) => runWithRecorder(recordingRecorder(), fn);

function numbersFile(count: number): string {
  const file = join(tempDir("feeder"), "numbers.csv");
  writeFileSync(file, `n\n${Array.from({ length: count }, (_, i) => i).join("\n")}\n`);
  return file;
}

async function drain(f: { next(): Promise<{ n: string }> }): Promise<{ taken: number[]; end: unknown }> {
  const taken: number[] = [];
  for (;;) {
    try {
      taken.push(Number((await inTask(() => f.next())).n));
    } catch (end) {
      return { taken, end };
    }
  }
}

afterEach(() => setProcessShare(0, 1));

describe("feeder orders", () => {
  test("sequential: file order, starting over after the last row", async () => {
    const f = feeder<{ n: string }>(numbersFile(3));
    const got = [];
    for (let i = 0; i < 7; i++) got.push((await inTask(() => f.next())).n);
    expect(got).toEqual(["0", "1", "2", "0", "1", "2", "0"]);
    expect(f.size).toBe(3);
  });

  test("random: rows picked by the random source, any number of times", async () => {
    const f = feeder<{ n: string }>(numbersFile(10), { order: "random", random: seeded(3) });
    const got = new Set<string>();
    for (let i = 0; i < 200; i++) got.add((await inTask(() => f.next())).n);
    expect(got.size).toBe(10);
  });

  test("unique in one process: every row once, then StopUser", async () => {
    const { taken, end } = await drain(feeder<{ n: string }>(numbersFile(250), { order: "unique" }));
    expect(taken).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(end).toBeInstanceOf(StopUser);
    expect((end as Error).message).toContain("has no unique rows left");
  });

  test("unique under run --processes 3: the three shares are disjoint and cover the file", async () => {
    const file = numbersFile(100);
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      setProcessShare(k, 3);
      const { taken } = await drain(makeFeeder<{ n: string }>(file, undefined, { order: "unique" }));
      expect(taken.every((n) => n % 3 === k)).toBe(true);
      seen.push(...taken);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe("feeder files", () => {
  test("a relative name is found beside the task file that names it; JSON lines by extension", async () => {
    const users = feeder<{ username: string; password: string }>("fixtures/users.csv");
    expect(await inTask(() => users.next())).toEqual({ username: "alice", password: "a1" });
    const dir = tempDir("feeder");
    writeFileSync(join(dir, "orders.jsonl"), '{"id":7}\n');
    expect(await inTask(() => makeFeeder(join(dir, "orders.jsonl"), undefined, {}).next())).toEqual({ id: 7 });
  });

  test("a missing file is one E_USAGE error listing where it was looked for", () => {
    const f = makeFeeder("nope.csv", "/somewhere/tasks/t.ts", {});
    expect(() => f.size).toThrow(LoadworkerError);
    expect(() => f.size).toThrow(
      `feeder("nope.csv"): no such file; looked in ${join(process.cwd(), "nope.csv")}, /somewhere/tasks/nope.csv. Put it in the tasks folder or pass a path`,
    );
  });

  test("an empty file and an unknown order are errors at start", () => {
    const file = join(tempDir("feeder"), "empty.csv");
    writeFileSync(file, "a,b\n");
    expect(() => makeFeeder(file, undefined, {}).size).toThrow(`${file}: no rows to feed`);
    expect(() => makeFeeder(file, undefined, { order: "once" as never }).size).toThrow(
      'order must be one of sequential, random, unique, not "once"',
    );
  });
});

test("two feeders of one file share its rows (one copy per process), each with its own order", async () => {
  const file = numbersFile(5);
  const a = makeFeeder<{ n: string }>(file, undefined, {});
  const b = makeFeeder<{ n: string }>(file, undefined, { order: "random", random: () => 0.99 });
  expect([(await inTask(() => a.next())).n, (await inTask(() => b.next())).n, (await inTask(() => a.next())).n]).toEqual(["0", "4", "1"]);
  writeFileSync(file, "n\nchanged\n"); // read once: a later feeder of the same file gets the same rows
  expect(makeFeeder(file, undefined, {}).size).toBe(5);
});

test("a relative name is read first from the files carried with the tasks: the binary's, or the --tasks folder", async () => {
  try {
    useTaskFiles({ embedded: new Map([["data/carried.csv", "n\nfrom-the-binary\n"]]) });
    const carried = makeFeeder<{ n: string }>("data/carried.csv", undefined, {});
    expect(await inTask(() => carried.next())).toEqual({ n: "from-the-binary" });
    expect(() => makeFeeder("data/other.csv", undefined, {}).size).toThrow(/looked in the files carried in the binary, /);
    const dir = tempDir("tasks-folder");
    writeFileSync(join(dir, "folder.csv"), "n\nfrom-the-folder\n");
    useTaskFiles({ dir });
    expect(await inTask(() => makeFeeder<{ n: string }>("folder.csv", "/elsewhere/t.ts", {}).next())).toEqual({ n: "from-the-folder" });
  } finally {
    useTaskFiles({ dir: process.cwd() });
  }
});
