import { describe, expect, test } from "bun:test";
import { listFlag, withoutTaken } from "../../src/cli/args.ts";

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
