import { describe, expect, test } from "bun:test";
import { listFlag, parseMasterHost, withoutTaken } from "../../src/cli/args.ts";

describe("listFlag (Locust's nargs='*' flags: -T/--tags, -E/--exclude-tags)", () => {
  test("takes every word after the flag up to the next flag, from each occurrence", () => {
    const raw = ["Ticker", "-T", "a", "b", "-u", "3", "--tags", "c", "Other"];
    expect(listFlag(raw, ["--tags", "-T"])).toEqual({ values: ["a", "b", "c", "Other"], taken: ["b", "Other"] });
  });

  test("takes only its own value in the --flag=value form, and nothing after --", () => {
    expect(listFlag(["--tags=a,b", "Ticker", "--", "-T", "x"], ["--tags", "-T"])).toEqual({ values: ["a,b"], taken: [] });
  });

  test("the words it took are left out of the positionals once each", () => {
    expect(withoutTaken(["Ticker", "b", "Other", "b"], ["b", "Other"])).toEqual(["Ticker", "b"]);
  });
});

describe("parseMasterHost (--master-host)", () => {
  test("takes an IPv6 address bare or in brackets, and connects to the bare address either way", () => {
    expect(parseMasterHost("::1")).toBe("::1");
    expect(parseMasterHost("[::1]")).toBe("::1");
    expect(parseMasterHost(" locust-master ")).toBe("locust-master");
  });

  test("refuses a bracketed address with a port, saying where the port goes", () => {
    expect(() => parseMasterHost("[::1]:5557")).toThrow("--master-port 5557");
  });
});
