// Runs a test/peers/locust_*.py script with the project's venv (real Locust code) and returns
// its JSON output. Tests that use it check our bytes against Locust itself, not our own decoder.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const python = `${root}.venv/bin/python`;

export function runLocustScript(script: string, input: unknown = {}): unknown {
  if (!existsSync(python)) {
    throw new Error(`No Python venv with Locust at ${python}: run scripts/lib/venv.sh, then re-run the tests.`);
  }
  const result = spawnSync(python, [`${root}test/peers/${script}`], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${script} exited with ${String(result.status)}:\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as unknown;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, "hex"));
}
