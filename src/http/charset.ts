// Body text in the charset the response names, as requests' `Response.text` reads
// `Content-Type: ...; charset=...`. Without a charset we read UTF-8 (requests would guess).
import { Buffer } from "node:buffer";

const utf8 = new TextDecoder();
const decoders = new Map<string, TextDecoder>();
// Python's latin-1 maps every byte to the same code point; the WHATWG label means windows-1252.
const LATIN1 = new Set(["iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1", "cp819", "ibm819", "8859"]);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

export function decodeText(bytes: Uint8Array, contentType: string | undefined): string {
  const label = contentType === undefined ? undefined : CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (label === undefined || label === "utf-8" || label === "utf8") return utf8.decode(bytes);
  if (LATIN1.has(label)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return decoderFor(label).decode(bytes);
}

/** An unknown charset reads as UTF-8, as requests falls back when Python has no such codec. */
function decoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label as ConstructorParameters<typeof TextDecoder>[0]);
    } catch {
      decoder = utf8; // RangeError: a label the platform does not know
    }
    if (decoders.size < 64) decoders.set(label, decoder);
  }
  return decoder;
}
