// The import graph of src/ in figures, for a person: `bun test/architecture/graph.ts [SRC]`. One
// line per folder (files, lines, the imports that leave it and arrive from elsewhere), then the
// totals the layer test holds at zero: imports up a layer and cycles (exit code 1 when either is
// not). SRC is another src/ folder, e.g. an older commit's, for a before and after:
//   mkdir /tmp/old && git archive COMMIT src | tar -x -C /tmp/old && bun test/architecture/graph.ts /tmp/old/src
import { join, resolve } from "node:path";
import { ROOT } from "../support/procs.ts";
import { checkLayers, findCycles, importEdges, readSources } from "./layers.ts";

interface Room {
  files: number;
  lines: number;
  out: number;
  in: number;
}

/** A file's folder relative to src/ ("." for the top), the room it is counted in. */
const folderOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".");

export function graphSummary(sources: ReadonlyMap<string, string>): string {
  const rooms = new Map<string, Room>();
  const room = (folder: string) => {
    let r = rooms.get(folder);
    if (r) return r;
    r = { files: 0, lines: 0, out: 0, in: 0 };
    rooms.set(folder, r);
    return r;
  };
  for (const [path, text] of sources) {
    const r = room(folderOf(path));
    r.files++;
    r.lines += text.split("\n").length - 1;
  }
  const edges = importEdges(sources);
  let imports = 0;
  for (const [from, targets] of edges) {
    for (const to of targets) {
      imports++;
      if (folderOf(from) === folderOf(to)) continue;
      room(folderOf(from)).out++;
      room(folderOf(to)).in++;
    }
  }
  const up = checkLayers(sources);
  const cycles = findCycles(sources);
  const label = (folder: string) => (folder === "." ? "src/" : `src/${folder}/`);
  const width = Math.max(...[...rooms.keys()].map((f) => label(f).length)) + 2;
  const row = (cells: (string | number)[]) =>
    `${String(cells[0]).padEnd(width)}${cells
      .slice(1)
      .map((c) => String(c).padStart(7))
      .join("")}`;
  const lines = [row(["folder", "files", "lines", "out", "in"])];
  for (const folder of [...rooms.keys()].sort()) {
    const r = rooms.get(folder) as Room;
    lines.push(row([label(folder), r.files, r.lines, r.out, r.in]));
  }
  lines.push(
    "",
    `folders ${rooms.size}, files ${sources.size}, imports between files ${imports}`,
    `imports up a layer ${up.length}, cycles ${cycles.length}`,
    ...up.map((v) => `  up: ${v.file} → ${v.imports} (${v.why})`),
    ...cycles.map((c) => `  cycle: ${c.join(" → ")}`),
  );
  return `${lines.join("\n")}\n`;
}

if (import.meta.main) {
  const sources = readSources(resolve(process.argv[2] ?? join(ROOT, "src")));
  process.stdout.write(graphSummary(sources));
  process.exitCode = checkLayers(sources).length + findCycles(sources).length === 0 ? 0 : 1;
}
