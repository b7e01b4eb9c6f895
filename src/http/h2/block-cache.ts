// Response header blocks decoded before, by their bytes. nginx writes the same block for every
// response within a second (each field a literal with incremental indexing, none referring to
// the dynamic table): a repeat costs a hash and a compare of its bytes, then replays the block's
// insertions into the table, instead of decoding a dozen strings (bench/h2-profile.sh found
// HPACK's string decoding a quarter of an h2c request's CPU).

export interface DecodedBlock {
  readonly bytes: Uint8Array;
  readonly fields: readonly (readonly [string, string])[];
  /** The fields the block added to the dynamic table, in order. */
  readonly inserted: readonly (readonly [string, string])[];
}

const MAX_ENTRIES = 64;

export class BlockCache {
  private readonly entries = new Map<number, DecodedBlock>();
  private last: DecodedBlock | undefined; // the one found last: most blocks repeat the one before

  /** The block decoded before, if the bytes `block[start, end)` were. */
  get(block: Uint8Array, start: number, end: number): DecodedBlock | undefined {
    if (this.last !== undefined && sameBytes(this.last.bytes, block, start, end)) return this.last;
    const entry = this.entries.get(hashOf(block, start, end));
    if (entry === undefined || !sameBytes(entry.bytes, block, start, end)) return undefined;
    this.last = entry;
    return entry;
  }

  /** Keeps a block (its own copy) that refers to nothing of the dynamic table (so its fields depend on its bytes alone). */
  set(block: Uint8Array, fields: DecodedBlock["fields"], inserted: DecodedBlock["inserted"]): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.last = { bytes: block, fields, inserted };
    this.entries.set(hashOf(block, 0, block.length), this.last);
  }
}

/** FNV-1a over `bytes[start, end)`. */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash;
}

function sameBytes(kept: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (kept.length !== end - start) return false;
  for (let i = 0; i < kept.length; i++) if (kept[i] !== bytes[start + i]) return false;
  return true;
}
