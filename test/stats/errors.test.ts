import { describe, expect, test } from "bun:test";
import { errorKey, errorText, pythonRepr } from "../../src/stats/errors.ts";
import { runLocustScript } from "../protocol/locust_python.ts";

describe("errorText", () => {
  test("passes strings through unchanged", () => {
    expect(errorText("HTTP 500")).toBe("HTTP 500");
  });

  test("renders an Error like Python's repr(exception)", () => {
    expect(errorText(new TypeError("bad input"))).toBe("TypeError('bad input')");
    expect(errorText(new Error("it's"))).toBe(`Error("it's")`);
  });

  test("uses the error's own name, e.g. for DOMException from fetch", () => {
    expect(errorText(new DOMException("The operation was aborted.", "AbortError"))).toBe("AbortError('The operation was aborted.')");
  });

  test("turns other values into their String()", () => {
    expect(errorText(404)).toBe("404");
    expect(errorText(null)).toBe("null");
    expect(errorText({ toString: () => "custom" })).toBe("custom");
  });

  test("does not throw on values without a usable toString", () => {
    expect(errorText(Object.create(null))).toStartWith("[object Object]");
  });
});

// Strings whose Python repr() needs care: quote choice, escapes, non-printable code points.
const TEXTS = [
  "plain",
  "it's",
  'say "hi"',
  `both ' and "`,
  "back\\slash",
  "tab\tnew\nline\rend",
  "\u0000\u001f\u007f",
  "é ü ß 中文 😀",
  "zero\u200bwidth",
  "no\u00a0break",
  "line\u2028sep",
  "",
  "HTTPError('500 Server Error: INTERNAL SERVER ERROR for url: http://127.0.0.1/x')",
];

describe("against Locust's StatsError.create_key, run in the venv", () => {
  test("pythonRepr matches repr() and errorKey matches create_key for tricky texts", () => {
    const errors = TEXTS.map((text) => ["GET", "/things/[id]", text]);
    const python = runLocustScript("locust_stats_rules.py", { bucket: [], round: [], errors }) as {
      keys: string[];
      reprs: string[];
    };
    expect(TEXTS.map(pythonRepr)).toEqual(python.reprs);
    expect(TEXTS.map((text) => errorKey("GET", "/things/[id]", text))).toEqual(python.keys);
  });

  test("reproduces the key a real Python worker sent for Exception('boom') on POST /bad", () => {
    // Locust's own key for this error (docs/PROTOCOL.md, Errors), captured from real 2.12.1 and HEAD workers.
    const boom = new Error("boom");
    boom.name = "Exception";
    expect(errorKey("POST", "/bad", errorText(boom))).toBe("fb51bde223d952cf0832d0dacc504179c1b2f1e3f9a56de0e17018f3c9844070");
  });
});
