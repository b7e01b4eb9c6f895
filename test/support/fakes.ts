// Small fakes shared by the tests: a seeded PRNG, a recording Recorder and Logger.
import type { Logger } from "../../src/log.ts";
import type { Recorder } from "../../src/stats/recorder.ts";
import { Inbox } from "./wait.ts";

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

export interface LogLine {
  level: keyof Logger;
  message: string;
}

/** A Logger that keeps every line, and an inbox to await the next one. */
export function recordingLogger(): Logger & { lines: LogLine[]; inbox: Inbox<LogLine> } {
  const lines: LogLine[] = [];
  const inbox = new Inbox<LogLine>();
  const at = (level: keyof Logger) => (message: string) => {
    lines.push({ level, message });
    inbox.push({ level, message });
  };
  return { lines, inbox, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
