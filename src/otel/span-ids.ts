// Trace and span ids for the HTTP spans (http-spans.ts): W3C Trace Context wants them random,
// not secret, so a xoshiro128** generator seeded from crypto.getRandomValues draws them, a few
// integer operations per 32-bit word. The SDK's RandomIdGenerator built each id from Math.random
// and hex strings on every request, sampled or not (bench/NOTES.md, "OpenTelemetry").

export class IdSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: Uint32Array = crypto.getRandomValues(new Uint32Array(4))) {
    this.s0 = seed[0] ?? 0;
    this.s1 = seed[1] ?? 0;
    this.s2 = seed[2] ?? 0;
    this.s3 = seed[3] ?? 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9; // the one state it never leaves
  }

  /** The next 32 random bits, as an unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const DIGITS = "0123456789abcdef";
const CODES = Array.from(DIGITS, (c) => c.charCodeAt(0));

/** A 32-bit word as 8 lowercase hex digits, big-endian (how the SDK's samplers read an id's words). */
export function hex8(word: number): string {
  const c = CODES;
  return String.fromCharCode(
    c[(word >>> 28) & 15] as number,
    c[(word >>> 24) & 15] as number,
    c[(word >>> 20) & 15] as number,
    c[(word >>> 16) & 15] as number,
    c[(word >>> 12) & 15] as number,
    c[(word >>> 8) & 15] as number,
    c[(word >>> 4) & 15] as number,
    c[word & 15] as number,
  );
}

/**
 * The upper bound TraceIdRatioBasedSampler compares a trace id with: a trace is sampled when the
 * XOR of its four 32-bit words is below it (the SDK's _accumulate), so a ratio samples the same
 * trace ids here as there.
 */
export function ratioBound(ratio: number): number {
  const r = Number.isNaN(ratio) ? 0 : Math.min(1, Math.max(0, ratio));
  return r === 1 ? 4294967296 : Math.floor(r * 4294967295);
}
