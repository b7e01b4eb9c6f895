// What CI needs to see of a failed test file: its failing tests and the lines just before each.

/** Each "(fail)" line with up to 8 lines bun printed before it (the assertion and where); without one, the last 12 lines. */
export function failureDigest(text: string): string {
  const lines = text.split("\n").map((l) => (l.length > 220 ? `${l.slice(0, 220)}…` : l));
  const picked: string[] = [];
  let since = 0;
  lines.forEach((line, i) => {
    if (line.startsWith("(pass)") || line.startsWith("(skip)")) since = i + 1;
    if (!line.startsWith("(fail)")) return;
    const before = lines.slice(Math.max(since, i - 8), i).filter((l) => l.trim() !== "");
    picked.push(...before.map((l) => `   ${l}`), `   ${line}`);
    since = i + 1;
  });
  const chosen =
    picked.length > 0
      ? picked
      : lines
          .filter((l) => l.trim() !== "")
          .slice(-12)
          .map((l) => `   ${l}`);
  return chosen.slice(-40).join("\n");
}
