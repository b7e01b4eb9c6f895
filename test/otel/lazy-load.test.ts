// The SDK costs nothing until asked for: no file that src/main.ts reaches through value imports
// (the ones that run at start; type-only imports are erased) imports an @opentelemetry package.
// src/otel/telemetry.ts loads sdk.ts with import() when --otel or a master asks.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { ROOT } from "../support/procs.ts";

const SRC = join(ROOT, "src");

// `import x from "…"`, `import { … } from "…"`, `export { … } from "…"`, `import "…"`, minus `import type` / `export type`.
function valueImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(?!type\b)[^;]*?\bfrom\s*["']([^"']+)["']/gms)) found.push(m[2] as string);
  for (const m of source.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) found.push(m[1] as string);
  return found;
}

function reachedAtStart(entry: string): Map<string, string[]> {
  const reached = new Map<string, string[]>(); // file → its package imports
  const visit = (file: string) => {
    if (reached.has(file)) return;
    const specs = valueImports(readFileSync(file, "utf8"));
    reached.set(
      file,
      specs.filter((s) => !s.startsWith(".")),
    );
    for (const spec of specs) if (spec.startsWith(".") && spec.endsWith(".ts")) visit(normalize(join(dirname(file), spec)));
  };
  visit(entry);
  return reached;
}

describe("OpenTelemetry is loaded lazily", () => {
  test("nothing src/main.ts imports at start imports @opentelemetry/*; telemetry.ts reaches the SDK by import() only", () => {
    const reached = reachedAtStart(join(SRC, "main.ts"));
    expect(reached.size).toBeGreaterThan(50); // the walk followed the imports
    expect(reached.has(join(SRC, "otel/telemetry.ts"))).toBe(true);
    const eager = [...reached].filter(([, packages]) => packages.some((p) => p.startsWith("@opentelemetry/")));
    expect(eager.map(([file]) => file)).toEqual([]);
    expect(reached.has(join(SRC, "otel/sdk.ts"))).toBe(false);
    expect(readFileSync(join(SRC, "otel/telemetry.ts"), "utf8")).toContain('await import("./sdk.ts")');
  });
});
