// The HPACK decoder against blocks written by Go's encoder (golang.org/x/net/http2/hpack, the
// one behind Go's HTTP/2 servers): Huffman strings, incremental indexing, never-indexed fields and
// later blocks that refer to the dynamic table. The vectors were printed by a Go program using
// hpack.NewEncoder with the fields listed here (set-cookie marked sensitive).
import { describe, expect, test } from "bun:test";
import { encodeBlock, HpackDecoder, HpackError } from "../../src/http/h2/hpack.ts";

const hex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));

describe("HpackDecoder", () => {
  test("decodes Go's blocks in order on one connection, the dynamic table carrying over", () => {
    const decoder = new HpackDecoder();
    expect(
      decoder.decode(
        hex(
          "887689aa6355e580ae212e1f6196dc34fd2806d4be52282009c500fdc641700053168dff5f87497ca589d34d1f5c0231371f28891c01fb5358d33c0c7f1f28848e04f83f",
        ),
      ),
    ).toEqual([
      [":status", "200"],
      ["server", "nginx/1.22.1"],
      ["date", "Sat, 05 Dec 2026 09:30:00 GMT"],
      ["content-type", "text/html"],
      ["content-length", "17"],
      ["set-cookie", "a=1; Path=/"],
      ["set-cookie", "b=two"],
    ]);
    expect(decoder.decode(hex("8dc16196dc34fd2806d4be52282009c500fdc641700153168dff4084f2b1e4930f01ff2074616209656e64207e7c7b7d"))).toEqual(
      [
        [":status", "404"],
        ["server", "nginx/1.22.1"],
        ["date", "Sat, 05 Dec 2026 09:30:01 GMT"],
        ["x-odd", "\x01\xff tab\tend ~|{}"],
      ],
    );
    expect(decoder.decode(hex("88c3c1"))).toEqual([
      [":status", "200"],
      ["server", "nginx/1.22.1"],
      ["content-type", "text/html"],
    ]);
  });

  test("a malformed block is an HpackError, not a crash", () => {
    expect(() => new HpackDecoder().decode(hex("be"))).toThrow(HpackError); // index 62, table empty
    expect(() => new HpackDecoder().decode(hex("0085"))).toThrow(HpackError); // name string cut short
    expect(() => new HpackDecoder().decode(hex("008100"))).toThrow(HpackError); // Huffman padding of zeros
  });

  test("what the encoder writes, the decoder reads back", () => {
    const fields: [string, string][] = [
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/a?b=c"],
      [":authority", "127.0.0.1:8443"],
      ["user-agent", "loadworker"],
      ["cookie", "x".repeat(300)],
    ];
    const block = encodeBlock(fields);
    expect(block[0]).toBe(0x82); // :method GET from the static table
    expect(new HpackDecoder().decode(block)).toEqual(fields);
  });
});
