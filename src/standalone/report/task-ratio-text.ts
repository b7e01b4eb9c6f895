// `run --show-task-ratio` and `--show-task-ratio-json` print what Locust's flags print
// (locust/main.py, inspectuser.py), byte for byte: the same table and the same JSON.
import { padRight, pyFixed, pyFloat } from "../../text/pyformat.ts";
import type { ClassRatio, RatioClass, TaskRatio } from "./task-ratio.ts";

/** `run -l`: Locust's "Available Users:" list, each class's tasks under it (run takes task names too). */
export function listText(classes: readonly RatioClass[]): string {
  return `Available Users:\n${classes.map((c) => `    ${c.name}\n${c.tasks.map((t) => `        ${t.name}\n`).join("")}`).join("")}`;
}

export function taskRatioText(ratio: TaskRatio): string {
  const rule = "-".repeat(80);
  return `\n Task ratio per User class\n${rule}\n${lines(ratio.per_class)}\n Total task ratio\n${rule}\n${lines(ratio.total)}`;
}

// Locust's _print_task_ratio: " %-10s %-50s" of the percentage ("%-6.1f") and the name, nested by two spaces.
function lines(classes: Record<string, ClassRatio>): string {
  const line = (level: number, ratio: number, name: string) => {
    const pad = "  ".repeat(level);
    return ` ${padRight(pad + padRight(pyFixed(ratio * 100, 1), 6), 10)} ${padRight(pad + name, 50)}\n`;
  };
  let out = "";
  for (const [name, cls] of Object.entries(classes)) {
    out += line(0, cls.ratio, name);
    for (const [task, share] of Object.entries(cls.tasks)) out += line(1, share.ratio, task);
  }
  return out;
}

/** Python's json.dumps(ratio, indent=4): floats as repr, non-ASCII escaped (ensure_ascii). */
export function taskRatioJson(ratio: TaskRatio): string {
  return `${dumps(ratio, "")}\n`;
}

function dumps(value: unknown, indent: string): string {
  if (typeof value === "number") return pyFloat(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const inner = `${indent}    `;
  return `{\n${entries.map(([k, v]) => `${inner}${pyString(k)}: ${dumps(v, inner)}`).join(",\n")}\n${indent}}`;
}

function pyString(text: string): string {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
