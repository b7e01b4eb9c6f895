// HPACK (RFC 7541) for request header blocks: an encoder that never indexes (each request's block
// is encoded once and cached on the request, so there is nothing to gain from a table).

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
