// What a test reads from an HTML report as Chromium rendered it (see chromium.ts probeRendered).
export interface RenderedReport {
  title: string;
  resources: number;
  scripts: number;
  charts: Array<{
    id: string;
    width: number;
    height: number;
    series: Array<{ key: string; points: number; polylines: number; drawnWidth: number; drawnHeight: number }>;
  }>;
  tables: Record<string, { head: string[]; rows: string[][]; visible: boolean }>;
  /** The window's width and the page's: wider means the page scrolls sideways. */
  page: { width: number; scrollWidth: number };
  /** The smallest chart text (title, tick, legend) as drawn, in CSS pixels. */
  smallestChartText: number;
}

export const REPORT_PROBE = `
const out = { title: document.title, resources: performance.getEntriesByType("resource").length,
  scripts: document.scripts.length - 1, charts: [], tables: {},
  page: { width: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth },
  smallestChartText: Math.min(...[...document.querySelectorAll("svg.chart text")].map((t) => {
    const svg = t.ownerSVGElement; // font sizes are in the viewBox's units, scaled to the drawn width
    return parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  })) };
for (const svg of document.querySelectorAll("svg.chart")) {
  const box = svg.getBoundingClientRect();
  out.charts.push({ id: svg.id, width: box.width, height: box.height, series: [...svg.querySelectorAll("g.series")].map((g) => {
    const b = g.getBBox();
    return { key: g.dataset.series, points: Number(g.dataset.points), polylines: g.querySelectorAll("polyline").length,
      drawnWidth: b.width, drawnHeight: b.height };
  }) });
}
for (const table of document.querySelectorAll("table[id]")) {
  const box = table.getBoundingClientRect();
  out.tables[table.id] = { visible: box.width > 0 && box.height > 0,
    head: [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
    rows: [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.cells].map((td) => td.textContent.trim())) };
}
const pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out); document.body.append(pre);
`;
