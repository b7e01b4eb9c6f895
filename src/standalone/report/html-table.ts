// The HTML report's tables: a header row and rows already rendered.
import { escapeXml as esc } from "./svg-chart.ts";

// A table wider than the window (a phone, many percentiles) scrolls in its box, not the page.
export function table(id: string, head: readonly string[], rows: readonly string[]): string {
  return `<div class="wide"><table id="${id}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}
