// The HTML report's "Final ratio" (Locust's report has one): each user class's share of the users
// when the run stopped, and under it each task's share of its class and of every task run.
import { pyFixed } from "../../text/pyformat.ts";
import { table } from "./html-table.ts";
import { escapeXml as esc } from "./svg-chart.ts";
import type { TaskRatio } from "./task-ratio.ts";

export function ratioSection(ratio: TaskRatio): string {
  const rows: string[] = [];
  for (const [name, cls] of Object.entries(ratio.per_class)) {
    const total = ratio.total[name];
    rows.push(`<tr class="total"><td class="name">${esc(name)}</td><td></td><td class="num">${percent(cls.ratio)}</td><td></td></tr>`);
    for (const [task, share] of Object.entries(cls.tasks)) {
      const ofAll = total?.tasks[task]?.ratio ?? 0;
      rows.push(
        `<tr><td></td><td class="name">${esc(task)}</td><td class="num">${percent(share.ratio)}</td><td class="num">${percent(ofAll)}</td></tr>`,
      );
    }
  }
  if (rows.length === 0) return "";
  const head = ["User class", "Task", "Share of users (class) or of the class's tasks (task)", "Share of all task runs"];
  return `<section><h2>Final ratio</h2>${table("ratio", head, rows)}</section>`;
}

// As Locust prints a ratio ("%.1f", Python's rounding: 56.25 is 56.2), with a percent sign.
const percent = (ratio: number) => `${pyFixed(ratio * 100, 1)}%`;
