// HPACK (RFC 7541), the part a client needs: a decoder for response header blocks (static and
// dynamic table, Huffman strings) and an encoder for request blocks that never indexes (each
// request's block is encoded once and cached, so there is nothing to gain from a table).
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

/** Decodes response header blocks; one per connection (its dynamic table is the connection's). */
export class HpackDecoder {
  private table: [string, string][] = []; // newest first
  private size = 0;
  private maxSize = 4096; // SETTINGS_HEADER_TABLE_SIZE: we never change the default
  private pos = 0;
  private block: Uint8Array = new Uint8Array(0);
  private readonly decoded = new Map<string, string>();

  /** The fields of one block, in order, as [name, value] pairs. Throws HpackError on a malformed block. */
  decode(block: Uint8Array): [string, string][] {
    this.block = block;
    this.pos = 0;
    const fields: [string, string][] = [];
    while (this.pos < block.length) {
      const first = block[this.pos] as number;
      if (first & 0x80) {
        fields.push(this.entry(this.integer(7)));
      } else if (first & 0x40) {
        const field = this.literal(6);
        this.insert(field);
        fields.push(field);
      } else if (first & 0x20) {
        const size = this.integer(5);
        if (size > 4096) throw new HpackError("dynamic table size update above the limit");
        this.maxSize = size;
        this.evict(0);
      } else fields.push(this.literal(4)); // without indexing, or never indexed
    }
    return fields;
  }

  private entry(index: number): [string, string] {
    if (index === 0) throw new HpackError("index 0");
    if (index <= STATIC.length) return STATIC[index - 1] as [string, string];
    const entry = this.table[index - STATIC.length - 1];
    if (entry === undefined) throw new HpackError(`index ${index} past the dynamic table`);
    return entry;
  }

  private literal(prefix: number): [string, string] {
    const index = this.integer(prefix);
    const name = index === 0 ? this.string() : this.entry(index)[0];
    return [name, this.string()];
  }

  private insert(field: [string, string]): void {
    const size = field[0].length + field[1].length + 32;
    this.evict(size);
    if (size <= this.maxSize) {
      this.table.unshift(field);
      this.size += size;
    }
  }

  /** Drops the oldest entries until `room` more octets fit. */
  private evict(room: number): void {
    while (this.size + room > this.maxSize && this.table.length > 0) {
      const [name, value] = this.table.pop() as [string, string];
      this.size -= name.length + value.length + 32;
    }
  }

  private integer(prefix: number): number {
    const block = this.block;
    if (this.pos >= block.length) throw new HpackError("truncated integer");
    const max = (1 << prefix) - 1;
    let value = (block[this.pos++] as number) & max;
    if (value < max) return value;
    for (let shift = 0; ; shift += 7) {
      if (this.pos >= block.length || shift > 28) throw new HpackError("truncated or oversized integer");
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
    if (end > this.block.length) throw new HpackError("truncated string");
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

/** Static-table entries a request uses whole: `:method GET` is the one byte 0x82. */
const INDEXED = new Map<string, number>([
  [":method\0GET", 2],
  [":method\0POST", 3],
  [":path\0/", 4],
  [":scheme\0http", 6],
  [":scheme\0https", 7],
]);

/** A request's header block: whole static entries indexed, the rest literal without indexing, no Huffman. */
export function encodeBlock(fields: readonly (readonly [string, string])[]): Uint8Array {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const index = INDEXED.get(`${name}\0${value}`);
    if (index !== undefined) {
      out.push(0x80 | index);
      continue;
    }
    out.push(0x00);
    pushString(out, name);
    pushString(out, value);
  }
  return Uint8Array.from(out);
}

function pushString(out: number[], text: string): void {
  pushInteger(out, text.length, 7, 0x00);
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i) & 0xff);
}

function pushInteger(out: number[], value: number, prefix: number, flags: number): void {
  const max = (1 << prefix) - 1;
  if (value < max) return void out.push(flags | value);
  out.push(flags | max);
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
}
