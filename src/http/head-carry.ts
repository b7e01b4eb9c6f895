// A response head that arrives over several socket chunks: its bytes so far, in a buffer the
// parser owns (the socket's chunks are not ours to keep), grown by doubling up to the cap.
// Rare on the hot path: a head nearly always arrives in one chunk and never comes here.

/** A head larger than this fails the response (as llhttp's default does for any header block). */
export const MAX_HEAD_BYTES = 64 * 1024;

export class HeadCarry {
  private kept: Uint8Array | null = null;
  private have = 0;

  /** Bytes of an unfinished head are carried over from an earlier chunk. */
  get carrying(): boolean {
    return this.kept !== null;
  }

  /** How many. */
  get length(): number {
    return this.have;
  }

  clear(): void {
    this.kept = null;
    this.have = 0;
  }

  /** Appends bytes of the unfinished head; false when the head would pass MAX_HEAD_BYTES. */
  keep(bytes: Uint8Array): boolean {
    const have = this.have;
    const need = have + bytes.length;
    if (need > MAX_HEAD_BYTES) return false;
    let kept = this.kept;
    if (kept === null || kept.length < need) {
      const grown = new Uint8Array(Math.min(MAX_HEAD_BYTES, Math.max(need, 2 * (kept?.length ?? 0), 1024)));
      if (kept !== null) grown.set(kept.subarray(0, have));
      kept = grown;
      this.kept = grown;
    }
    kept.set(bytes, have);
    this.have = need;
    return true;
  }

  /**
   * Once the status line is in, only a blank line ends the head: until one arrives, the caller
   * appends instead of rescanning the whole head per chunk (quadratic: a 64 KiB head trickled in
   * byte by byte took 3.3 s of CPU).
   */
  waitsForBlankLine(chunk: Uint8Array, pos: number): boolean {
    const kept = this.kept;
    if (kept === null) return false;
    const lf = kept.indexOf(10);
    return lf >= 0 && lf < this.have && !blankLineIn(kept, this.have, chunk, pos);
  }

  /** The kept bytes followed by chunk[pos..], in a new buffer the head is scanned in. */
  joined(chunk: Uint8Array, pos: number): Uint8Array {
    const have = this.have;
    const buf = new Uint8Array(have + chunk.length - pos);
    if (this.kept !== null) buf.set(this.kept.subarray(0, have));
    buf.set(chunk.subarray(pos), have);
    return buf;
  }
}

/** Does an empty line (LF LF or LF CR LF) end in chunk[pos..], counting the kept bytes before it? */
function blankLineIn(kept: Uint8Array, have: number, chunk: Uint8Array, pos: number): boolean {
  let last = have >= 1 ? kept[have - 1] : 0;
  let beforeLast = have >= 2 ? kept[have - 2] : 0;
  for (let i = pos; i < chunk.length; i++) {
    const c = chunk[i];
    if (c === 10 && (last === 10 || (last === 13 && beforeLast === 10))) return true;
    beforeLast = last;
    last = c;
  }
  return false;
}
