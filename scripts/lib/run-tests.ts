// Runs test files as `bun test FILE` processes, `--jobs` at a time (most of the end-to-end files
// wait on a master, a worker or a timed run, so two cores fit three of them), longest first by
// the durations of the last run (.build/test-durations.json). Each file's output is printed
// whole when it ends, then one line of totals; `--counts FILE` writes "PASSED FAILED" for
// scripts/test.sh's last line. Each parallel process gets LOADWORKER_TEST_SHARD (its slot), so
// the binaries the tests build never collide (test/support/procs.ts).
// With `--counts FILE`, FILE.failures gets a short digest of each failed file (its failing tests
// and the lines bun printed just before each), which scripts/test.sh prints again right above its
// last line: CI keeps only the end of the output, and that is where the reason must be.
//   bun scripts/lib/run-tests.ts --suite fast|full-only [--jobs N] [--counts FILE]
//   bun scripts/lib/run-tests.ts --list    the partition, non-zero if a test file is in neither
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { failureDigest } from "./failure-digest.ts";
import { testFiles } from "./test-files.ts";

const root = resolve(import.meta.dir, "../..");
const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const files = testFiles(root);

if (argv.includes("--list")) {
  for (const file of files.fast) console.log(`fast  ${file}`);
  for (const file of files.full) console.log(`full  ${file}`);
  for (const file of files.neither) console.log(`NONE  ${file}`);
  console.log(
    `${files.fast.length} in scripts/test.sh (and --full), ${files.full.length} only in --full, ${files.neither.length} in neither`,
  );
  if (files.neither.length > 0) {
    console.error("A test file in neither command: name it test/**/NAME.test.ts (fast) or NAME.full.test.ts (--full only).");
    process.exit(1);
  }
  process.exit(0);
}

const suite = flag("--suite");
if (suite !== "fast" && suite !== "full-only") {
  console.error("usage: bun scripts/lib/run-tests.ts --suite fast|full-only [--jobs N] [--counts FILE] | --list");
  process.exit(2);
}
const jobs = Math.max(1, Number(flag("--jobs") ?? 1));
const durationsFile = join(root, ".build/test-durations.json");
const lastDurations = readDurations();

// Files that share a per-process resource run in one process: the image tests build the image once.
const GROUPS = [/^test\/deploy\/image/];
const units = queueOf(suite === "fast" ? files.fast : files.full);
const processes = units.length;

interface Outcome {
  unit: string[];
  passed: number;
  failed: number;
  seconds: number;
  digest: string;
}

const outcomes: Outcome[] = [];
const started = performance.now();
await Promise.all(Array.from({ length: Math.min(jobs, units.length) }, (_, slot) => drain(slot + 1)));

const passed = outcomes.reduce((n, o) => n + o.passed, 0);
const failed = outcomes.reduce((n, o) => n + o.failed, 0);
const slowest = [...outcomes].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
console.log(`\n== ${suite}: ${processes} processes, ${jobs} at a time, ${((performance.now() - started) / 1000).toFixed(0)} s wall`);
console.log(`   slowest: ${slowest.map((o) => `${o.unit.join(" ")} ${o.seconds.toFixed(0)} s`).join(", ")}`);
for (const o of outcomes.filter((o) => o.failed > 0)) console.log(`   FAILED: ${o.unit.join(" ")} (${o.failed})`);
console.log(`   ${passed} passed, ${failed} failed`);
saveDurations();
const countsFile = flag("--counts");
if (countsFile) {
  writeFileSync(countsFile, `${passed} ${failed}\n`);
  writeFileSync(`${countsFile}.failures`, outcomes.map((o) => o.digest).join(""));
}
process.exit(failed > 0 ? 1 : 0);

/** The files as processes to start, the longest of the last run first (without one: end-to-end files first). */
function queueOf(list: string[]): string[][] {
  const grouped = new Map<string, string[]>();
  for (const file of list) {
    const key = GROUPS.find((g) => g.test(file))?.source ?? file;
    grouped.set(key, [...(grouped.get(key) ?? []), file]);
  }
  const guess = (file: string) => (/^test\/(e2e|deploy|soak)\//.test(file) ? 20_000 : 1_000);
  const cost = (unit: string[]) => unit.reduce((s, f) => s + (lastDurations[f] ?? guess(f)), 0);
  return [...grouped.values()].sort((a, b) => cost(b) - cost(a));
}

async function drain(slot: number): Promise<void> {
  for (let unit = units.shift(); unit; unit = units.shift()) outcomes.push(await runUnit(unit, slot));
}

async function runUnit(unit: string[], slot: number): Promise<Outcome> {
  const t0 = performance.now();
  const proc = Bun.spawn([process.execPath, "test", ...unit.map((f) => `./${f}`)], {
    cwd: root,
    env: { ...process.env, LOADWORKER_TEST_SHARD: String(slot) },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  const seconds = (performance.now() - t0) / 1000;
  const text = out + err;
  // bun test ends with " N pass" and " N fail"; a process that printed neither, or failed
  // without a failing test (a crash, a hook that threw), counts as one failure.
  const count = (word: string) => Number(text.match(new RegExp(`^ *(\\d+) ${word}$`, "m"))?.[1] ?? Number.NaN);
  const passedHere = count("pass") || 0;
  let failedHere = count("fail");
  if (Number.isNaN(failedHere) || (code !== 0 && failedHere === 0)) failedHere = 1;
  console.log(`\n── ${unit.join(" ")}: ${passedHere} pass, ${failedHere} fail, ${seconds.toFixed(1)} s (exit ${code})`);
  process.stdout.write(text);
  if (failedHere === 0) for (const f of unit) lastDurations[f] = (seconds * 1000) / unit.length;
  const digest = failedHere > 0 ? `── FAILED ${unit.join(" ")} (exit ${code})\n${failureDigest(text)}\n` : "";
  return { unit, passed: passedHere, failed: failedHere, seconds, digest };
}

function readDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(durationsFile, "utf8")) as Record<string, number>;
  } catch {
    return {}; // a first run: every file counts the same
  }
}

function saveDurations(): void {
  mkdirSync(join(root, ".build"), { recursive: true });
  writeFileSync(durationsFile, `${JSON.stringify(lastDurations, null, 1)}\n`);
}
