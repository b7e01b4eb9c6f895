// The import rules of docs/ARCHITECTURE.md as data, and a checker over source text: every
// relative import in src/ must go to the same layer or to one the rules allow.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** Leaf modules at the top of src/: anything may import them; they import only each other. */
export const LEAVES = new Set(["log.ts", "clock.ts", "errors.ts", "limiter.ts", "platform.ts"]);

/** Layer → the layers it may import (its own layer and the leaves always). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  transport: [],
  protocol: ["transport"],
  text: [],
  stats: ["text"],
  http: ["stats", "text"],
  api: ["http", "stats"],
  metrics: ["stats"],
  users: ["api", "http", "stats"],
  worker: ["users", "api", "metrics", "protocol", "transport", "stats", "http"],
  standalone: ["users", "api", "stats", "http"],
  demo: [],
  processes: [],
  cli: ["worker", "standalone", "processes", "users", "api", "metrics", "demo", "protocol", "transport", "stats", "http"],
  "index.ts": ["api", "users", "http", "stats"],
  "main.ts": ["cli"],
};

export interface Violation {
  file: string;
  imports: string;
  why: string;
}

/** The layer of a path relative to src/: its top folder, or the file itself at the top. */
export function layerOf(path: string): string {
  const [first, ...rest] = path.split("/");
  if (rest.length === 0) return LEAVES.has(first as string) ? "leaf" : (first as string);
  return first as string;
}

/** Relative import specifiers in a TypeScript source: static, type-only, re-exports and import(). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gms, /^\s*import\s*["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found.filter((spec) => spec.startsWith("."));
}

/** Checks files given as src/-relative path → source text. */
export function checkLayers(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, source] of files) {
    const from = layerOf(file);
    const allowed = from === "leaf" ? [] : ALLOWED[from];
    if (allowed === undefined) {
      violations.push({ file, imports: "", why: `"${from}" is not a known layer: add it to ALLOWED (test/architecture/layers.ts) and docs/ARCHITECTURE.md` });
      continue;
    }
    for (const spec of importsOf(source)) {
      const target = normalize(join(dirname(file), spec)).replaceAll("\\", "/");
      if (target.startsWith("..")) {
        if (!target.startsWith("../package.json")) violations.push({ file, imports: spec, why: "imports from outside src/" });
        continue;
      }
      const to = layerOf(target);
      if (to === from || to === "leaf" || allowed.includes(to)) continue;
      violations.push({ file, imports: spec, why: `${from} may not import ${to} (allowed: ${[...allowed, "leaves"].join(", ")})` });
    }
  }
  return violations;
}

/** Every .ts file under `dir`, keyed by its path relative to `dir`. */
export function readSources(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) files.set(relative(dir, path).replaceAll("\\", "/"), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return files;
}
