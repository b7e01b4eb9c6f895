// Small fakes shared by the runtime tests: a seeded PRNG, a recording Recorder and Logger.
import type { Logger } from "../../src/log.ts";
import type { Recorder } from "../../src/stats/recorder.ts";

/** mulberry32: a small seeded PRNG, so random choices are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Recorded {
  ok: boolean;
  method: string;
  name: string;
  ms: number;
  detail: number | unknown;
}

export function recordingRecorder(): Recorder & { records: Recorded[] } {
  const records: Recorded[] = [];
  return {
    records,
    success: (method, name, ms, length) => void records.push({ ok: true, method, name, ms, detail: length }),
    failure: (method, name, ms, error) => void records.push({ ok: false, method, name, ms, detail: error }),
  };
}

export function recordingLogger(): Logger & { lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
