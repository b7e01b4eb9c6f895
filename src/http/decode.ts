// Content-Encoding: the gzip and deflate bodies we asked for with Accept-Encoding are decoded once,
// before the response is recorded, because Locust records len(response.content), the decoded size.
import type { Call } from "./call.ts";
import { Step } from "./dispatch.ts";
import { HttpError } from "./errors.ts";
import type { RawResponse } from "./raw-response.ts";
import { decodeHeaders } from "./response.ts";

type Coding = "gzip" | "deflate";

/**
 * The decode step, outside the redirect step: only the final response is decoded. Decoding is part
 * of the response time, as in requests, which decodes before Locust stops the clock.
 */
export class Decompress extends Step {
  override onResponse(call: Call, raw: RawResponse): void {
    const error = raw.encoded ? decodeBody(raw, call.client.maxBodyBytes, call.hop.href) : undefined;
    if (error === undefined) this.outer.onResponse(call, raw);
    else this.outer.onFailure(call, error, false);
  }
}

/**
 * Decodes the body of `raw` in place. Unknown codings leave the body as received, as urllib3 does;
 * a body over the cap (encoded or decoded) is dropped, not failed, like any other oversized body.
 * Returns an EPROTO error when the bytes are not what the header claims.
 */
export function decodeBody(raw: RawResponse, maxBodyBytes: number, url: string): HttpError | undefined {
  if (raw.received === 0 || raw.overflow) return undefined;
  const header = decodeHeaders(raw.head())["content-encoding"] ?? "";
  const codings = parseCodings(header);
  if (codings === undefined || codings.length === 0) return undefined;
  let body = raw.body();
  // Codings are listed in the order they were applied: undo them from the last.
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i] as Coding;
    try {
      body = inflate(coding, body, maxBodyBytes);
    } catch (cause) {
      if ((cause as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
        raw.dropDecoded();
        return undefined;
      }
      const detail = cause instanceof Error ? cause.message : String(cause);
      return new HttpError(
        "EPROTO",
        `the response body from ${url} is not valid ${coding} as its Content-Encoding says (${detail})`,
        cause,
      );
    }
  }
  if (body.length > maxBodyBytes) raw.dropDecoded();
  else raw.setBody(body);
  return undefined;
}

/** The codings to undo, or undefined when one of them is not one we decode. */
function parseCodings(header: string): Coding[] | undefined {
  const codings: Coding[] = [];
  for (const part of header.split(",")) {
    const name = part.trim().toLowerCase();
    if (name === "gzip" || name === "x-gzip") codings.push("gzip");
    else if (name === "deflate") codings.push("deflate");
    else if (name !== "identity" && name !== "") return undefined;
  }
  return codings;
}

function inflate(coding: Coding, body: Uint8Array, maxBodyBytes: number): Uint8Array {
  // zlib stops and throws ERR_BUFFER_TOO_LARGE past maxOutputLength: a zip bomb costs the cap, no more.
  const limit = { maxOutputLength: Math.max(1, maxBodyBytes) };
  // node:zlib is loaded by the first compressed body: imported, it costs every worker RSS.
  const { gunzipSync, inflateRawSync, inflateSync } = process.getBuiltinModule("node:zlib");
  if (coding === "gzip") return gunzipSync(body, limit);
  // "deflate" should be zlib-wrapped, but some servers send raw deflate; urllib3 accepts both.
  return hasZlibHeader(body) ? inflateSync(body, limit) : inflateRawSync(body, limit);
}

/** RFC 1950: compression method 8 and a header checksum divisible by 31. */
function hasZlibHeader(body: Uint8Array): boolean {
  const cmf = body[0] ?? 0;
  const flg = body[1] ?? 0;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}
