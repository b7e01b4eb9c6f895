// The HPACK decoder against blocks written by Go's encoder (golang.org/x/net/http2/hpack, the
// one behind Go's HTTP/2 servers): Huffman strings, incremental indexing, never-indexed fields and
// later blocks that refer to the dynamic table. The vectors were printed by a Go program using
// hpack.NewEncoder with the fields listed here (set-cookie marked sensitive).
import { describe, expect, test } from "bun:test";
import { HpackDecoder, HpackError } from "../../src/http/h2/hpack.ts";
import { encodeBlock } from "../../src/http/h2/hpack-encoder.ts";

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

  test("a block seen before (nginx repeats it within a second) decodes the same and still fills the table", () => {
    // nginx 1.22's block for GET / on a static file: every field a literal with incremental
    // indexing (or without indexing), none referring to the dynamic table.
    const nginx = hex(
      "887689aa6355e580ae212e1f6196dc34fd2806d4be52282009c502d5c03b704153168dff5f87497ca589d34d1f5c0236336c96dc34fd2806d4be52282009c502d5c03b704153168dff00832a47378bfe5c8c2d046fbeb332ff3f008919085ad2b583aa62a3848fd24a8f",
    );
    const decoder = new HpackDecoder();
    const first = decoder.decode(nginx);
    expect(first.map(([name]) => name)).toEqual([
      ":status",
      "server",
      "date",
      "content-type",
      "content-length",
      "last-modified",
      "etag",
      "accept-ranges",
    ]);
    for (let i = 0; i < 200; i++) expect(decoder.decode(nginx)).toEqual(first); // 5 insertions each: the table evicts as it fills
    // Another block in between fills the table with its own fields; the repeat must put nginx's back.
    const go = hex(
      "887689aa6355e580ae212e1f6196dc34fd2806d4be52282009c500fdc641700053168dff5f87497ca589d34d1f5c0231371f28891c01fb5358d33c0c7f1f28848e04f83f",
    );
    expect(decoder.decode(go).at(-1)).toEqual(["set-cookie", "b=two"]);
    expect(decoder.decode(nginx)).toEqual(first);
    // Index 62 is the newest entry (nginx's last-modified, not Go's set-cookie), 66 the oldest of that block (server).
    const indexed = hex("bec2");
    expect(decoder.decode(indexed)).toEqual([first[5], first[1]] as [string, string][]);
    // A block that refers to the table is decoded each time, never taken from the cache.
    expect(decoder.decode(indexed)).toEqual([first[5], first[1]] as [string, string][]);
    // Bytes that differ in one place are another block.
    const otherDate = Uint8Array.from(nginx);
    otherDate[20] = (otherDate[20] as number) ^ 1;
    expect(decoder.decode(otherDate)[2]?.[1]).not.toBe(first[2]?.[1]);
  });
});
