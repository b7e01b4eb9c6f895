// The README became a short front door and its reference text moved to docs/: no fact may be lost
// on the way. The facts are the old README's code spans and figures (readme-facts.txt).
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/procs.ts";

/** Whitespace-insensitive, so a reflowed paragraph still holds its facts. */
const squash = (text: string) => text.replace(/\s+/g, " ");

/** The facts that appear nowhere in the text. */
export function missingFacts(facts: string[], text: string): string[] {
  const haystack = squash(text);
  return facts.filter((fact) => !haystack.includes(squash(fact)));
}

const facts = readFileSync(join(import.meta.dir, "readme-facts.txt"), "utf8")
  .split("\n")
  .filter((line) => line !== "" && !line.startsWith("# "));

const docs = readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md"));
const published = [join(ROOT, "README.md"), ...docs.map((name) => join(ROOT, "docs", name))]
  .map((path) => readFileSync(path, "utf8"))
  .join("\n");

describe("the README's facts", () => {
  test("are all still in README.md or a docs/ page", () => {
    expect(facts.length).toBeGreaterThan(400);
    expect(missingFacts(facts, published)).toEqual([]);
  });

  test("the check names a fact that was dropped, and does not mind a reflowed line", () => {
    const text = "`--max-rps N` caps task executions\nper second; 100.0/s at `--max-rps 100`";
    expect(missingFacts(["--max-rps N", "task executions per second", "100.0/s", "20,000.0/s"], text)).toEqual(["20,000.0/s"]);
  });
});
