// What a 1,000,000-row CSV costs a process, by RSS after a full GC: the runtime alone, the feeder
// loaded, then 1,000 users that each took 100 rows and hold their last one (they share the one
// copy), against the same file parsed up front into one object per row (what a feeder that keeps
// parsed rows would hold). One fresh process per measurement.
// usage: bun bench/data/feeder-memory.ts            (prints one JSON line per case)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROWS = 1_000_000;
const out = resolve(import.meta.dir, "../out");
const file = join(out, "feeder-rows.csv");
const [, , mode] = process.argv;
const rssMB = () => {
  Bun.gc(true);
  return Math.round(process.memoryUsage().rss / 1e6);
};

if (mode === undefined) {
  if (!existsSync(file)) {
    mkdirSync(out, { recursive: true });
    const lines = Array.from({ length: ROWS }, (_, i) => `${i},user-${i},pw${(i * 7919) % 1000003},"u${i}@example.com"`);
    writeFileSync(file, `id,username,password,email\n${lines.join("\n")}\n`);
  }
  for (const m of ["runtime", "feeder", "objects"]) {
    const run = spawnSync(process.execPath, [import.meta.path, m], { encoding: "utf8" });
    process.stdout.write(run.stdout || run.stderr);
  }
} else if (mode === "runtime") {
  await import("../../src/index.ts");
  console.log(JSON.stringify({ case: "runtime, no feeder", rssMB: rssMB() }));
} else if (mode === "feeder") {
  const { feeder } = await import("../../src/index.ts");
  const { loadFeeders } = await import("../../src/data/registry.ts");
  const { runWithRecorder } = await import("../../src/users/current.ts");
  const rows = feeder<{ id: string }>(file, { order: "unique" });
  loadFeeders();
  const loaded = rssMB();
  const held: unknown[] = [];
  await runWithRecorder({ success() {}, failure() {} }, async () => {
    for (let user = 0; user < 1000; user++) {
      let row: unknown;
      for (let i = 0; i < 100; i++) row = await rows.next();
      held.push(row);
    }
  });
  console.log(
    JSON.stringify({ case: "feeder: 1,000,000 rows", rssMB: loaded, after1000UsersX100Rows: rssMB(), rowsTaken: held.length * 100 }),
  );
} else {
  const Papa = (await import("papaparse")).default;
  const { readFileSync } = await import("node:fs");
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, "utf8"), { header: true, skipEmptyLines: true });
  console.log(JSON.stringify({ case: "one object per row (papaparse header: true)", rssMB: rssMB(), rows: parsed.data.length }));
}
