// Terminal columns of a string: CJK and emoji take two, combining marks none; control
// characters would move the cursor, so they are shown as '?'. Enough for request names.

const ZERO = /[\p{Mn}\p{Me}\u200B-\u200F\u2060]/u; // variation selectors (U+FE00–FE0F) are \p{Mn}
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
const CONTROL = /\p{Cc}/gu;

export function printable(text: string): string {
  return text.replace(CONTROL, "?");
}

function charWidth(ch: string): number {
  if (ZERO.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/** Cut to at most `width` columns, ending in '…' when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Cut to at most `width` columns by taking out the middle ('/api/v1/…/items/42'). */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const chars = [...text];
  const take = (from: string[], room: number) => {
    const kept: string[] = [];
    let used = 0;
    for (const ch of from) {
      if (used + charWidth(ch) > room) break;
      kept.push(ch);
      used += charWidth(ch);
    }
    return kept;
  };
  const head = take(chars, Math.floor((width - 1) / 2));
  const tail = take([...chars].reverse(), width - 1 - displayWidth(head.join(""))).reverse();
  return `${head.join("")}…${tail.join("")}`;
}

/** Pad (or cut) to exactly `width` columns; numbers align right. */
export function fit(text: string, width: number, align: "left" | "right" = "left"): string {
  const cut = truncate(text, width);
  const pad = " ".repeat(Math.max(0, width - displayWidth(cut)));
  return align === "left" ? cut + pad : pad + cut;
}
