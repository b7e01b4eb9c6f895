// HPACK (RFC 7541), the decoder a client needs for response header blocks: static and dynamic
// table, Huffman strings; whole blocks seen before taken from a cache (block-cache.ts). The
// encoder for request blocks is hpack-encoder.ts.
import { BlockCache } from "./block-cache.ts";
import { CODES, LENGTHS, STATIC } from "./hpack-tables.ts";

export class HpackError extends Error {}

// The Huffman code as a binary trie: node n's children are at CHILD[2n] (bit 0) and CHILD[2n+1]
// (bit 1); a leaf is -1 - symbol. Built once from the canonical codes.
const CHILD: number[] = [0, 0];
for (let symbol = 0; symbol < 256; symbol++) {
  const code = CODES[symbol] as number;
  const length = LENGTHS[symbol] as number;
  let node = 0;
  for (let bit = length - 1; bit >= 0; bit--) {
    const slot = 2 * node + ((code >>> bit) & 1);
    if (bit === 0) CHILD[slot] = -1 - symbol;
    else {
      if ((CHILD[slot] as number) <= 0) {
        CHILD[slot] = CHILD.length / 2;
        CHILD.push(0, 0);
      }
      node = CHILD[slot] as number;
    }
  }
}

const latin1 = new TextDecoder("latin1");

function huffmanDecode(bytes: Uint8Array, start: number, end: number): string {
  const out: number[] = [];
  let node = 0;
  let depth = 0; // bits since the last symbol: what is left at the end must be a prefix of EOS (all ones, < 8)
  let ones = true;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >> bit) & 1;
      const next = CHILD[2 * node + b] as number;
      depth++;
      ones &&= b === 1;
      if (next < 0) {
        out.push(-1 - next);
        node = 0;
        depth = 0;
        ones = true;
      } else if (next === 0) throw new HpackError("invalid Huffman code");
      else node = next;
    }
  }
  if (depth > 7 || !ones) throw new HpackError("invalid Huffman padding");
  return String.fromCharCode(...out);
}

const RING = 128; // a power of two

/** Decodes response header blocks; one per connection (its dynamic table is the connection's). */
export class HpackDecoder {
  // The dynamic table as a ring, newest at `head`: an insertion is a store, not an unshift.
  // 4,096 octets hold at most 128 entries (each counts 32 octets more than its strings).
  private readonly table: (readonly [string, string] | undefined)[] = new Array(RING).fill(undefined);
  private head = 0;
  private count = 0;
  private size = 0;
  private maxSize = 4096; // SETTINGS_HEADER_TABLE_SIZE: we never change the default
  private pos = 0;
  private end = 0; // of the block being decoded in `block`
  private block: Uint8Array = new Uint8Array(0);
  private readonly decoded = new Map<string, string>();
  private readonly blocks = new BlockCache();
  private inserted: (readonly [string, string])[] = []; // by the block being decoded
  private ownBytesOnly = true; // the block being decoded refers to nothing of the dynamic table

  /** The fields of one block, in order, as [name, value] pairs (shared: not to be changed). Throws HpackError on a malformed block. */
  decode(block: Uint8Array, start = 0, end = block.length): readonly (readonly [string, string])[] {
    const known = this.blocks.get(block, start, end);
    if (known !== undefined) {
      for (const field of known.inserted) this.insert(field);
      return known.fields;
    }
    this.block = block;
    this.pos = start;
    this.end = end;
    this.inserted = [];
    this.ownBytesOnly = true;
    const fields: (readonly [string, string])[] = [];
    while (this.pos < end) {
      const first = block[this.pos] as number;
      if (first & 0x80) {
        fields.push(this.entry(this.integer(7)));
      } else if (first & 0x40) {
        const field = this.literal(6);
        this.insert(field);
        this.inserted.push(field);
        fields.push(field);
      } else if (first & 0x20) {
        const size = this.integer(5);
        if (size > 4096) throw new HpackError("dynamic table size update above the limit");
        this.maxSize = size;
        this.evict(0);
        this.ownBytesOnly = false; // not replayed from the cache
      } else fields.push(this.literal(4)); // without indexing, or never indexed
    }
    if (this.ownBytesOnly) this.blocks.set(block.slice(start, end), fields, this.inserted);
    return fields;
  }

  private entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError("index 0");
    if (index <= STATIC.length) return STATIC[index - 1] as [string, string];
    this.ownBytesOnly = false;
    const at = index - STATIC.length - 1;
    if (at >= this.count) throw new HpackError(`index ${index} past the dynamic table`);
    return this.table[(this.head + at) & (RING - 1)] as readonly [string, string];
  }

  private literal(prefix: number): [string, string] {
    const index = this.integer(prefix);
    const name = index === 0 ? this.string() : this.entry(index)[0];
    return [name, this.string()];
  }

  private insert(field: readonly [string, string]): void {
    const size = field[0].length + field[1].length + 32;
    this.evict(size);
    if (size <= this.maxSize) {
      this.head = (this.head + RING - 1) & (RING - 1);
      this.table[this.head] = field;
      this.count++;
      this.size += size;
    }
  }

  /** Drops the oldest entries until `room` more octets fit. */
  private evict(room: number): void {
    while (this.size + room > this.maxSize && this.count > 0) {
      const oldest = (this.head + this.count - 1) & (RING - 1);
      const [name, value] = this.table[oldest] as readonly [string, string];
      this.table[oldest] = undefined;
      this.count--;
      this.size -= name.length + value.length + 32;
    }
  }

  private integer(prefix: number): number {
    const block = this.block;
    if (this.pos >= this.end) throw new HpackError("truncated integer");
    const max = (1 << prefix) - 1;
    let value = (block[this.pos++] as number) & max;
    if (value < max) return value;
    for (let shift = 0; ; shift += 7) {
      if (this.pos >= this.end || shift > 28) throw new HpackError("truncated or oversized integer");
      const byte = block[this.pos++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  }

  private string(): string {
    const huffman = ((this.block[this.pos] ?? 0) & 0x80) !== 0;
    const length = this.integer(7);
    const start = this.pos;
    const end = start + length;
    if (end > this.end) throw new HpackError("truncated string");
    this.pos = end;
    const raw = latin1.decode(this.block.subarray(start, end));
    return huffman ? this.huffman(raw, start, end) : raw;
  }

  /** Huffman strings decoded before, by their coded bytes: a server repeats most values in every response. */
  private huffman(coded: string, start: number, end: number): string {
    let text = this.decoded.get(coded);
    if (text === undefined) {
      text = huffmanDecode(this.block, start, end);
      if (this.decoded.size >= 256) this.decoded.clear();
      this.decoded.set(coded, text);
    }
    return text;
  }
}
