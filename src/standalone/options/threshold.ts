// `--threshold EXPR`: `p95<500`, `fail_ratio<0.01`, `rps>1000`, `压测HttpBin:p99<800`,
// `GET /cart:max<=2000`. Parsing is pure and total: a bad expression is a message, never a throw.

export type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

export type Metric =
  | { readonly kind: "requests" | "failures" | "fail_ratio" | "rps" | "avg" | "min" | "max" | "median" }
  /** The open model's misses over the whole run (docs/open-model.md): no name. */
  | { readonly kind: "dropped_iterations" | "late_iterations" }
  | { readonly kind: "percentile"; readonly percent: number };

/** Which requests a threshold reads: the Aggregated total, or one name (optionally one method). */
export type Selector = { readonly kind: "total" } | { readonly kind: "name"; readonly name: string; readonly method: string | null };

export interface Threshold {
  readonly text: string;
  /** The name as written, and, for `METHOD NAME:`, the split reading tried first. */
  readonly selectors: readonly Selector[];
  readonly metric: Metric;
  readonly metricText: string;
  readonly operator: Operator;
  readonly value: number;
}

export type ParsedThreshold = { ok: true; threshold: Threshold } | { ok: false; error: string };

const SIMPLE_METRICS = ["requests", "failures", "fail_ratio", "rps", "avg", "min", "max", "median"] as const;
const RUN_METRICS = ["dropped_iterations", "late_iterations"] as const;
const METRICS_HELP = `${SIMPLE_METRICS.join(", ")}, p50 … p99.9, p100 (any pN with 0 < N <= 100), ${RUN_METRICS.join(", ")}`;
const COMPARISON = /^\s*([A-Za-z_][\w.]*)\s*(<=|>=|==|!=|<|>|=)\s*(.*?)\s*$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const PERCENTILE = /^p(\d{1,3})(?:\.(\d+))?$/;
// The request type is Locust's free text (GET, gRPC, WebSocket, custom); the whole name is tried after it.
const METHOD_AND_NAME = /^([A-Za-z][\w-]*) (.+)$/;
const EXAMPLE = "e.g. p95<500, fail_ratio<0.01, 压测HttpBin:p99<800 or 'GET /cart:max<2000'";
// What k6 users type: p(95)<500, 500ms, 1s, 1%.
const K6_PERCENTILE = /(?:^|:)\s*p\((\d+(?:\.\d+)?)\)/;
const WITH_UNIT = /^(\d+(?:\.\d+)?)(ms|s)$/;
const PERCENT = /^(\d+(?:\.\d+)?)%$/;

export function parseThreshold(text: string): ParsedThreshold {
  const fail = (why: string): ParsedThreshold => ({ ok: false, error: `threshold '${text}': ${why}` });
  // Metric, operator and value never contain ':', so the last one ends the name.
  const k6 = K6_PERCENTILE.exec(text);
  if (k6 !== null) return fail(`k6's p(${k6[1]}) is written p${k6[1]} here, e.g. p${k6[1]}<500`);
  const colon = text.lastIndexOf(":");
  const name = colon < 0 ? null : text.slice(0, colon).trim();
  if (name === "") return fail(`the name before ':' is empty (${EXAMPLE})`);
  const match = COMPARISON.exec(text.slice(colon + 1));
  if (match === null) return fail(`expected [NAME:]METRIC OPERATOR NUMBER, ${EXAMPLE}`);
  const [, metricText = "", operator = "", valueText = ""] = match;
  if (operator === "=") return fail(`'=' is not an operator; use '==' (or <, <=, >, >=, !=)`);
  const metric = parseMetric(metricText);
  if (metric === null) return fail(`unknown metric '${metricText}'; metrics: ${METRICS_HELP}`);
  if (!NUMBER.test(valueText)) return fail(`'${valueText}' is not a number (${valueHint(metricText, operator, valueText)})`);
  if (name !== null && isRunMetric(metric))
    return fail(`${metricText} counts the whole run; write it without a name, e.g. ${metricText}<1`);
  const selectors: Selector[] = [];
  if (name === null) selectors.push({ kind: "total" });
  else {
    const split = METHOD_AND_NAME.exec(name);
    if (split !== null) selectors.push({ kind: "name", name: split[2] ?? "", method: split[1] ?? "" });
    selectors.push({ kind: "name", name, method: null });
  }
  return { ok: true, threshold: { text, selectors, metric, metricText, operator: operator as Operator, value: Number(valueText) } };
}

function valueHint(metric: string, operator: string, value: string): string {
  const unit = WITH_UNIT.exec(value);
  // toPrecision: 1.1% is 0.011, not 0.011000000000000001.
  const shown = (n: number) => Number(n.toPrecision(12));
  if (unit) return `times are in ms, without a unit: ${metric}${operator}${shown(Number(unit[1]) * (unit[2] === "s" ? 1000 : 1))}`;
  const percent = PERCENT.exec(value);
  if (percent) return `a ratio, not a percentage: ${metric}${operator}${shown(Number(percent[1]) / 100)}`;
  return EXAMPLE;
}

/** A metric of the whole run, not of a stats entry: measured even when nothing was requested. */
export function isRunMetric(metric: Metric): metric is { kind: (typeof RUN_METRICS)[number] } {
  return metric.kind === "dropped_iterations" || metric.kind === "late_iterations";
}

function parseMetric(text: string): Metric | null {
  const simple = SIMPLE_METRICS.find((m) => m === text);
  if (simple !== undefined) return { kind: simple };
  const run = RUN_METRICS.find((m) => m === text);
  if (run !== undefined) return { kind: run };
  const match = PERCENTILE.exec(text);
  if (match === null) return null;
  const [, whole = "", fraction = ""] = match;
  // Shift the decimal point in the text, so p99.9 is exactly Locust's 0.999 (99.9 / 100 is not).
  const digits = whole.padStart(2, "0");
  const percent = Number(`${digits.slice(0, -2) || "0"}.${digits.slice(-2)}${fraction}`);
  return percent > 0 && percent <= 1 ? { kind: "percentile", percent } : null;
}

export function compare(measured: number, operator: Operator, value: number): boolean {
  switch (operator) {
    case "<":
      return measured < value;
    case "<=":
      return measured <= value;
    case ">":
      return measured > value;
    case ">=":
      return measured >= value;
    case "==":
      return measured === value;
    case "!=":
      return measured !== value;
  }
}
