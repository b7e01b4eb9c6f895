// The front door's links lead somewhere: every relative link in README.md, docs/ and examples/
// names a file or folder that exists, and a #fragment names a heading of that page.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ROOT } from "../support/procs.ts";

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a Markdown page: its headings outside code blocks. */
function anchors(markdown: string): Set<string> {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] as string)));
}

/** Relative links of a Markdown page (inline links and images), outside code blocks and spans. */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((href) => !/^[a-z]+:/.test(href));
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

/** Each link of `file` that leads nowhere, as "file: link". */
function brokenLinks(file: string): string[] {
  return relativeLinks(readFileSync(file, "utf8")).flatMap((href) => {
    const [path = "", fragment] = href.split("#");
    const target = path === "" ? file : join(dirname(file), decodeURIComponent(path));
    const broken = `${relative(ROOT, file)}: ${href}`;
    if (!existsSync(target)) return [broken];
    if (fragment === undefined || statSync(target).isDirectory() || !target.endsWith(".md")) return [];
    return anchors(readFileSync(target, "utf8")).has(fragment) ? [] : [broken];
  });
}

describe("links", () => {
  const pages = [join(ROOT, "README.md"), ...markdownFiles(join(ROOT, "docs")), ...markdownFiles(join(ROOT, "examples"))];

  test("in README.md, docs/ and examples/ name files and headings that exist", () => {
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.flatMap(brokenLinks)).toEqual([]);
  });

  test("the checker finds a link's target and heading the way GitHub writes them", () => {
    expect(slug("On this machine: `scripts/up.sh`")).toBe("on-this-machine-scriptsupsh");
    expect(slug("Locust's user-class controls")).toBe("locusts-user-class-controls");
    expect(relativeLinks("[a](docs/x.md#y) [b](https://x.org) `[c](no.md)` ![d](e.png)")).toEqual(["docs/x.md#y", "e.png"]);
  });
});
