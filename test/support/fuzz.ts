// Property-based fuzzing with fast-check: one seed per test run, printed on failure with the
// command that replays it. FUZZ_SEED=<n> (and FUZZ_PATH=<path>) replay a failure; FUZZ_SCALE=<k>
// multiplies every property's runs for a longer local session (CI runs the default, k = 1).
import fc from "fast-check";

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const scale = Number(process.env.FUZZ_SCALE ?? "1") || 1;

/** Runs `property` `numRuns` times (times FUZZ_SCALE); a failure names the seed to replay it. */
export function fuzz<Ts>(property: fc.IProperty<Ts>, numRuns: number): void {
  const path = process.env.FUZZ_PATH;
  const result = fc.check(property, { numRuns: Math.ceil(numRuns * scale), seed, ...(path ? { path } : {}) });
  if (!result.failed) return;
  const replay = `FUZZ_SEED=${result.seed} FUZZ_PATH=${result.counterexamplePath ?? ""}`;
  throw new Error(`${fc.defaultReportMessage(result) ?? "property failed"}\nReplay: ${replay} bun test <this file>`);
}

/** Splits `bytes` at the given cut points (taken modulo the length): the same stream, chunked. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    if (cut > from) pieces.push(bytes.slice(from, cut));
    from = Math.max(from, cut);
  }
  return pieces;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cut points for splitAt: up to 12 of them, anywhere. */
export const cuts = fc.array(fc.nat(), { maxLength: 12 });

/** Every property test gets this much time: well above a busy machine's run, never a speed check. */
export const FUZZ_TIMEOUT_MS = 120_000;

export { fc };
