// A log call as one line of text for the log export: the message, then each further argument
// (an Error by its stack, an object as JSON), as the console shows them.
export function logText(message: string, rest: readonly unknown[]): string {
  if (rest.length === 0) return message;
  return [message, ...rest.map(describe)].join(" ");
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return String(value); // a cycle: its default text
  }
}
