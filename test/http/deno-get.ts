// Run by deno.test.ts under Deno: a few calls through HttpClient, printing what was recorded as JSON.
import { HttpClient } from "../../src/http/index.ts";
import type { Recorder } from "../../src/stats/recorder.ts";

const calls: unknown[] = [];
const recorder: Recorder = {
  success: (method, name, ms, length) => calls.push({ kind: "success", method, name, length, timed: ms > 0 }),
  failure: (method, name, _ms, error) => calls.push({ kind: "failure", method, name, error: String(error) }),
};
const url = process.argv[2] ?? "";
const http = new HttpClient({ recorder, baseUrl: url });
const first = await http.get("/deno");
const second = await http.post("/deno", { json: { from: "deno" } });
const zipped = await http.get("/deno-gzip");
const cookie = await http.get("/deno-cookie");
http.close();
console.log(
  JSON.stringify({
    runtime: "Deno" in globalThis ? "deno" : "other",
    first: first.text(),
    second: second.text(),
    zipped: zipped.text(),
    cookie: cookie.text(),
    calls,
  }),
);
