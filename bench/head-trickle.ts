// CPU time the response parser spends on a 64 KiB head that arrives in small pieces (a slow or
// trickling server). Scanning the whole head again per piece made this quadratic: 3.3 s at 1-byte
// pieces before the fix in src/http/parser.ts, about 40 ms after (2 shared cores, November 2026).
// usage: bun bench/head-trickle.ts [piece sizes...]
import { FAILED, NEED_MORE, ResponseParser } from "../src/http/parser.ts";

const sizes = process.argv.slice(2).map(Number);
const head = new TextEncoder().encode(
  `HTTP/1.1 200 OK\r\n${"X-Header: abcdefghijklmnopqrstuvwxyz\r\n".repeat(1700)}Content-Length: 0\r\n\r\n`,
);
for (const size of sizes.length > 0 ? sizes : [1, 10, 100, 1460]) {
  const parser = new ResponseParser(1 << 20);
  parser.begin(false);
  const pieces = [];
  for (let i = 0; i < head.length; i += size) pieces.push(head.slice(i, i + size));
  const start = performance.now();
  let result = NEED_MORE;
  for (const piece of pieces) result = parser.execute(piece);
  const ms = performance.now() - start;
  const outcome = result === FAILED ? `failed: ${parser.error}` : result === NEED_MORE ? "incomplete" : `status ${parser.response?.status}`;
  console.log(`${head.length}-byte head in ${size}-byte pieces: ${ms.toFixed(1)} ms (${outcome})`);
}
