// The import rules of docs/ARCHITECTURE.md as data, and checkers over source text: every
// relative import in src/ must go to the same layer or to one the rules allow, and no file may
// reach itself through its imports (a cycle inside one layer is still a tangle the layers hide).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/**
 * Leaf modules at the top of src/, and platform/ (the Bun-only APIs behind adapters): anything may
 * import them; they import only each other.
 */
export const LEAVES = new Set(["log.ts", "clock.ts", "errors.ts", "limiter.ts", "platform"]);

/** Layer → the layers it may import (its own layer and the leaves always). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  transport: [],
  protocol: ["transport"],
  text: [],
  stats: ["text"],
  http: ["stats", "text"],
  websocket: ["http", "stats", "text"],
  grpc: ["http", "stats"],
  api: ["http", "websocket", "grpc", "stats"],
  metrics: ["stats"],
  otel: ["stats", "http"],
  users: ["api", "http", "websocket", "grpc", "stats"],
  data: ["users", "api"],
  worker: ["users", "api", "metrics", "otel", "protocol", "transport", "stats", "http", "websocket", "grpc"],
  standalone: ["users", "api", "otel", "stats", "http", "text", "websocket", "grpc"],
  demo: [],
  master: ["api"],
  processes: ["standalone", "users", "api", "otel", "stats"],
  cli: [
    "worker",
    "standalone",
    "processes",
    "master",
    "project",
    "data",
    "users",
    "api",
    "metrics",
    "otel",
    "demo",
    "protocol",
    "transport",
    "stats",
    "http",
    "websocket",
    "grpc",
  ],
  "index.ts": ["api", "users", "data", "http", "websocket", "grpc", "stats"],
  project: ["api", "index.ts"],
  "main.ts": ["cli", "project"],
};

export interface Violation {
  file: string;
  imports: string;
  why: string;
}

/** The layer of a path relative to src/: its top folder, or the file itself at the top. */
export function layerOf(path: string): string {
  const [first, ...rest] = path.split("/");
  if (LEAVES.has(first as string) && (rest.length === 0 || first === "platform")) return "leaf";
  return first as string;
}

/** Relative import specifiers in a TypeScript source: static, type-only, re-exports and import(). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gms,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
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
      violations.push({
        file,
        imports: "",
        why: `"${from}" is not a known layer: add it to ALLOWED (test/architecture/layers.ts) and docs/ARCHITECTURE.md`,
      });
      continue;
    }
    for (const spec of importsOf(source)) {
      const target = resolveImport(file, spec);
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

/** `file`'s relative import `spec` as a path relative to src/ ("../x.ts" stays outside). */
function resolveImport(file: string, spec: string): string {
  return normalize(join(dirname(file), spec)).replaceAll("\\", "/");
}

/**
 * Import cycles among the given files (src/-relative path → source text), type-only imports
 * included: one cycle per tangle (strongly connected set of files), as the path that closes it,
 * starting and ending at its first file by name, e.g. ["a.ts", "b.ts", "a.ts"].
 */
export function findCycles(files: ReadonlyMap<string, string>): string[][] {
  const edges = importEdges(files);
  const cycles: string[][] = [];
  for (const tangle of tangles(edges)) {
    const start = tangle[0] as string;
    const path = pathBack(start, edges, new Set(tangle));
    if (path) cycles.push(path);
  }
  return cycles.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** Each file → the files of the set it imports (each once, sorted); imports of files outside the set are left out. */
export function importEdges(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const [file, source] of files) {
    const targets = importsOf(source)
      .map((spec) => resolveImport(file, spec))
      .filter((t) => files.has(t));
    edges.set(file, [...new Set(targets)].sort());
  }
  return edges;
}

/** Tarjan's strongly connected components with more than one file, or a file importing itself; each sorted. */
function tangles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const to of edges.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file) as number, low.get(to) as number));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file) as number, index.get(to) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      members.push(member);
    } while (member !== file);
    if (members.length > 1 || edges.get(file)?.includes(file)) found.push(members.sort());
  };
  for (const file of [...edges.keys()].sort()) if (!index.has(file)) visit(file);
  return found;
}

/** The shortest import path from `start` back to itself inside `within` (breadth first). */
function pathBack(start: string, edges: ReadonlyMap<string, readonly string[]>, within: ReadonlySet<string>): string[] | undefined {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    for (const to of edges.get(at) ?? []) {
      if (!within.has(to)) continue;
      if (to === start) {
        const chain: string[] = [];
        for (let back = at; back !== start; back = cameFrom.get(back) as string) chain.unshift(back);
        return [start, ...chain, start];
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, at);
        queue.push(to);
      }
    }
  }
  return undefined;
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
