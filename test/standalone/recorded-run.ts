// A deterministic ~40 s of requests for the parity tests: awkward names (commas, quotes, CJK,
// astral code points), failures with awkward texts, untimed requests, a quiet gap, and a delta
// report every second through `report`.
import type { Recorder } from "../../src/stats/index.ts";
import type { FakeClock } from "../support/fake-clock.ts";

const NAMES = ["/api/items", "压测HttpBin", 'say "hi", twice', "😀 emoji", "\uE000 private", "/a"];
const METHODS = ["GET", "POST", "GET", "PUT"];
const ERRORS: unknown[] = [
  "HTTP 500",
  "ConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2b1c>')",
  'multi\nline, with "quotes"',
  new TypeError("boom"),
  "CatchResponseError('Got wrong JSON')",
];
const TIMES = [0.3, 4, 12.5, 47.5, 99.5, 101, 145, 150.25, 994.9, 1234.5, 9950, 15000, Number.NaN, 62.123456789];

export function recordRun(recorder: Recorder, clock: FakeClock, report: () => void): void {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  for (let second = 0; second < 40; second++) {
    const quiet = second >= 18 && second < 24;
    const perSecond = quiet ? 0 : 5 + Math.floor(random() * 20);
    for (let i = 0; i < perSecond; i++) {
      clock.advance(0.9 / perSecond);
      const name = pick(NAMES);
      const method = name === "/a" ? "GET" : pick(METHODS);
      const ms = pick(TIMES);
      if (random() < 0.2) recorder.failure(method, name, ms, pick(ERRORS), Math.floor(random() * 100));
      else recorder.success(method, name, ms, Math.floor(random() * 5000));
    }
    clock.advance(quiet ? 1 : 0.1);
    report();
  }
}
