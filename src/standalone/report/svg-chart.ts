// Line charts as inline SVG strings for the HTML report: no script, no fonts, no network, so the
// file opens anywhere. Each series is a <polyline> (split where values are missing) carrying
// data-series and data-points, and each point a <title> tooltip while there are few enough.
// The title and legend are HTML in the figure's caption, so they keep their size and wrap on a
// phone, where the SVG is scaled down to a third.

export interface Series {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  /** Seconds since the start, one per point, ascending. */
  readonly seconds: readonly number[];
  readonly series: readonly Series[];
}

const WIDTH = 900;
const HEIGHT = 260;
// Room for tick labels at the phone's larger font (html-report.ts STYLE).
const PAD = { left: 72, right: 32, top: 16, bottom: 36 };
const MAX_POINTS = 1200; // longer runs are thinned; an hour at 1 s keeps every third point
const MAX_TOOLTIPS = 400;

export function lineChart(spec: ChartSpec): string {
  const keep = strideIndexes(spec.seconds.length, MAX_POINTS);
  const xs = keep.map((i) => spec.seconds[i] ?? 0);
  const xMax = Math.max(1, xs[xs.length - 1] ?? 0);
  let yMaxData = 0;
  for (const s of spec.series) for (const i of keep) yMaxData = Math.max(yMaxData, s.values[i] ?? 0);
  const yMax = niceCeiling(yMaxData);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (sec: number) => PAD.left + (sec / xMax) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax / 4) * i;
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/>`);
    parts.push(
      `<text class="tick" x="${PAD.left - 6}" y="${fmt(y(v))}" text-anchor="end" dominant-baseline="middle">${escapeXml(shortNumber(v))}</text>`,
    );
  }
  for (const sec of timeTicks(xMax)) {
    parts.push(
      `<text class="tick" x="${fmt(x(sec))}" y="${HEIGHT - PAD.bottom + 5}" text-anchor="middle" dominant-baseline="hanging">${elapsedLabel(sec)}</text>`,
    );
  }
  parts.push(`<line class="axis" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}"/>`);
  const tooltips = keep.length <= MAX_TOOLTIPS;
  for (const s of spec.series) {
    const points = keep.map((i, k) => ({ sec: xs[k] ?? 0, value: s.values[i] ?? null }));
    const drawn = points.filter((p) => p.value !== null).length;
    const segments: string[][] = [[]];
    for (const p of points) {
      if (p.value === null) segments.push([]);
      else segments[segments.length - 1]?.push(`${fmt(x(p.sec))},${fmt(y(p.value))}`);
    }
    const lines = segments.filter((seg) => seg.length > 0).map((seg) => `<polyline points="${seg.join(" ")}"/>`);
    const dots = tooltips
      ? points
          .filter((p) => p.value !== null)
          .map(
            (p) =>
              `<circle cx="${fmt(x(p.sec))}" cy="${fmt(y(p.value ?? 0))}" r="2.5"><title>${elapsedLabel(p.sec)}: ${escapeXml(shortNumber(p.value ?? 0))} ${escapeXml(spec.unit)}</title></circle>`,
          )
      : [];
    parts.push(
      `<g class="series" data-series="${escapeXml(s.key)}" data-points="${drawn}" stroke="${s.color}" fill="${s.color}">${lines.join("")}${dots.join("")}</g>`,
    );
  }
  const keys = spec.series.map((s) => `<span class="key"><i style="background:${s.color}"></i>${escapeXml(s.label)}</span>`);
  const caption = `<figcaption><b>${escapeXml(spec.title)}</b> ${keys.join(" ")}</figcaption>`;
  return `<figure>${caption}<svg class="chart" id="${escapeXml(spec.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(spec.title)}" xmlns="http://www.w3.org/2000/svg">${parts.join("")}</svg></figure>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `0s`, `45s`, `2m`, `1m30s`, `1h05m`. */
export function elapsedLabel(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60}m` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function strideIndexes(length: number, max: number): number[] {
  const stride = Math.max(1, Math.ceil(length / max));
  const out: number[] = [];
  for (let i = 0; i < length; i += stride) out.push(i);
  if (length > 0 && out[out.length - 1] !== length - 1) out.push(length - 1);
  return out;
}

function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function timeTicks(xMax: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
  const step = steps.find((s) => xMax / s <= 8) ?? Math.ceil(xMax / 8);
  const ticks: number[] = [];
  for (let t = 0; t <= xMax + 1e-6; t += step) ticks.push(t);
  return ticks;
}

function shortNumber(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toFixed(1))}M`;
  if (v >= 1e3) return `${Number((v / 1e3).toFixed(1))}k`;
  return String(Number(v.toFixed(v < 10 ? 2 : 1)));
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}
