// A pass over a msgpack frame's structure before it is decoded: nesting depth and the number of
// arrays and maps are bounded, because each costs far more as a JS object than its one byte on
// the wire, and no array may announce more items than the bytes left could hold, because the
// decoder allocates an array of the announced length up front. Unchecked, a 16 MiB frame of
// nested arrays took 19 s and 2.3 GB to decode, one of empty maps 1.3 GB, and a 10-byte frame
// announcing 61 million items 487 MB. Other malformed input is left for the decoder to report.

/** Deeper than any Locust message (spawn's parsed_options is the deepest, at 3). */
export const MAX_NESTING = 64;
/** Locust's messages hold a few dozen maps at most; custom messages this many. */
export const MAX_CONTAINERS = 65_536;

// Bytes after the type byte for the fixed-size types 0xc0..0xdf (-1: not one of them).
const FIXED = new Int8Array(32).fill(-1);
for (const [type, size] of [
  [0xc0, 0],
  [0xc2, 0],
  [0xc3, 0],
  [0xca, 4],
  [0xcb, 8],
  [0xcc, 1],
  [0xcd, 2],
  [0xce, 4],
  [0xcf, 8],
  [0xd0, 1],
  [0xd1, 2],
  [0xd2, 4],
  [0xd3, 8],
  [0xd4, 2],
  [0xd5, 3],
  [0xd6, 5],
  [0xd7, 9],
  [0xd8, 17],
] as const)
  FIXED[type - 0xc0] = size;

/** Why the frame is refused before decoding, or undefined when its shape is within the bounds. */
export function checkShape(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const open: number[] = []; // items still to read in each open array or map
  let owed = 0; // their sum: each of those items takes at least one more byte
  let containers = 0;
  let pos = 0;
  while (pos < bytes.length) {
    const type = bytes[pos++] as number;
    let items = -1; // >= 0: an array or map with that many items (a map's keys count as items)
    if (type < 0x80 || type >= 0xe0) {
      // fixint
    } else if (type < 0x90) items = (type & 0x0f) * 2;
    else if (type < 0xa0) items = type & 0x0f;
    else if (type < 0xc0) pos += type & 0x1f;
    else if (FIXED[type - 0xc0] !== -1) pos += FIXED[type - 0xc0] as number;
    else {
      const width = [1, 2, 4][(type - 0xc4) % 3] ?? 0; // bin and ext 8, 16, 32
      switch (type) {
        case 0xc4:
        case 0xc5:
        case 0xc6: // bin 8/16/32
          pos += width + length(view, pos, width);
          break;
        case 0xc7:
        case 0xc8:
        case 0xc9: // ext 8/16/32: size, type byte, data
          pos += width + 1 + length(view, pos, width);
          break;
        case 0xd9:
          pos += 1 + length(view, pos, 1);
          break; // str 8/16/32
        case 0xda:
          pos += 2 + length(view, pos, 2);
          break;
        case 0xdb:
          pos += 4 + length(view, pos, 4);
          break;
        case 0xdc:
          items = length(view, pos, 2);
          pos += 2;
          break; // array 16/32
        case 0xdd:
          items = length(view, pos, 4);
          pos += 4;
          break;
        case 0xde:
          items = length(view, pos, 2) * 2;
          pos += 2;
          break; // map 16/32
        case 0xdf:
          items = length(view, pos, 4) * 2;
          pos += 4;
          break;
        default:
          return undefined; // 0xc1 (never used): the decoder names the error
      }
    }
    if (pos > bytes.length) return undefined; // cut short: the decoder names the error
    if (items >= 0 && ++containers > MAX_CONTAINERS) {
      return `message holds more than ${MAX_CONTAINERS} arrays and maps; send large data in fewer, flatter messages`;
    }
    if (items > 0) {
      if (open.length >= MAX_NESTING) return `message is nested deeper than ${MAX_NESTING} levels`;
      open.push(items);
      owed += items;
      // The parents' current items are this container, so they owe one byte less each.
      if (owed - (open.length - 1) > bytes.length - pos) {
        return `message is cut short: it announces ${items} items with ${bytes.length - pos} bytes left`;
      }
      continue;
    }
    // One whole value read: close every container it completes.
    for (;;) {
      const top = open.length - 1;
      if (top < 0) return undefined; // the top-level value is complete; extra bytes are the decoder's to report
      const left = (open[top] as number) - 1;
      owed -= 1;
      if (left > 0) {
        open[top] = left;
        break;
      }
      open.pop();
    }
  }
  return undefined;
}

/** A big-endian length of `width` bytes at `pos`, or past the end of any frame when cut short. */
function length(view: DataView, pos: number, width: number): number {
  if (pos + width > view.byteLength) return view.byteLength;
  return width === 1 ? view.getUint8(pos) : width === 2 ? view.getUint16(pos) : view.getUint32(pos);
}
