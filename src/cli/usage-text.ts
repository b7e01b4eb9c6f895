// citty's usage as a terminal reads it: citty right-aligns the flags and pads every row to the
// longest description (254 columns here), which wraps into noise at 80. Each row of a table
// becomes its flag, then its description wrapped beneath it, indented. Pure: the width is given.

const ROW = /^\s*(\S.*?\S)\s{4,}(\S.*)$/;

/** `usage` (without colours) with its table rows as flag + wrapped description, no trailing spaces. */
export function usageText(usage: string, columns: number): string {
  const width = Math.max(40, Math.min(columns, 120));
  const out: string[] = [];
  let inTable = false;
  for (const raw of usage.split("\n")) {
    const line = raw.trimEnd();
    if (/^(ARGUMENTS|OPTIONS|COMMANDS)$/.test(line.trim())) inTable = true;
    else if (/^[A-Z]+\b/.test(line)) inTable = false;
    const row = inTable ? ROW.exec(line) : null;
    if (row === null) {
      const indent = /^\s*/.exec(line)?.[0] ?? "";
      out.push(...(line.length > width ? wrap(line.trim(), width - indent.length).map((l) => indent + l) : [line]));
      continue;
    }
    out.push(`  ${row[1]}`);
    out.push(...wrap(row[2] as string, width - 6).map((l) => `      ${l}`));
  }
  return out.join("\n");
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}
