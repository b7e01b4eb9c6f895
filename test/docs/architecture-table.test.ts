// docs/ARCHITECTURE.md's table of which layer may import which is what test/architecture/layers.ts
// enforces: a rule changed in one place and not the other fails here.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALLOWED } from "../architecture/layers.ts";
import { ROOT } from "../support/procs.ts";

const LAYERS = Object.keys(ALLOWED);

/** A code span that names a layer: `http/` or a top-level file such as `index.ts`. */
function layerOfSpan(span: string): string | undefined {
  const name = span.endsWith("/") ? span.slice(0, -1) : span;
  return LAYERS.includes(name) && (span.endsWith("/") || span.endsWith(".ts")) ? name : undefined;
}

function layersIn(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].flatMap((m) => layerOfSpan(m[1] as string) ?? []);
}

/** The table's rows as layer → the layers it may import ("never X" and parentheses left out). */
export function layerTable(markdown: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const [, first, rest] of markdown.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)) {
    const layer = layerOfSpan(first as string);
    if (layer === undefined) continue;
    const may = (rest as string).split(/; never|; nothing imports/)[0] as string;
    const but = may.match(/^every other layer but (.+)$/);
    rows[layer] = but
      ? LAYERS.filter((other) => other !== layer && !layersIn(but[1] as string).includes(other))
      : layersIn(may.replace(/\([^)]*\)/g, ""));
  }
  return rows;
}

describe("docs/ARCHITECTURE.md's layer table", () => {
  test("is test/architecture/layers.ts's rules, row for row", () => {
    const table = layerTable(readFileSync(join(ROOT, "docs", "ARCHITECTURE.md"), "utf8"));
    const sorted = (rules: Readonly<Record<string, readonly string[]>>) =>
      Object.fromEntries(Object.entries(rules).map(([layer, may]) => [layer, [...may].sort()]));
    expect(sorted(table)).toEqual(sorted(ALLOWED));
  });

  test("reads a row's layers, leaving out file names, asides and the layers it must not import", () => {
    const table = layerTable(
      [
        "| `otel/` | `stats/` (the listener), `http/` (the slot, `http/tracing.ts`); only from `sdk.ts` |",
        "| `processes/` | `standalone/`, `api/`; never `worker/` |",
        "| `demo/` | nothing |",
      ].join("\n"),
    );
    expect(table).toEqual({ otel: ["stats", "http"], processes: ["standalone", "api"], demo: [] });
  });
});
