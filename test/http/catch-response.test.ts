import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HttpClient } from "../../src/http/index.ts";
import { httpServer, RecordingRecorder, type TestServer } from "./helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await httpServer((request, response) => {
    response.statusCode = request.url === "/missing" ? 404 : 200;
    response.end(request.url === "/missing" ? "nope" : "body");
  });
});
afterAll(() => server.close());

function client() {
  const recorder = new RecordingRecorder();
  return { recorder, http: new HttpClient({ baseUrl: server.url, recorder }) };
}

describe("catchResponse", () => {
  test("nothing is recorded until the caller decides", async () => {
    const { recorder, http } = client();
    const response = await http.get("/ok", { catchResponse: true });
    expect(recorder.calls).toEqual([]);
    response.success();
    expect(recorder.only).toMatchObject({ kind: "success", name: "/ok", length: 4, ms: response.elapsedMs });
    http.close();
  });

  test("success() turns a 404 into a success", async () => {
    const { recorder, http } = client();
    (await http.get("/missing", { catchResponse: true })).success();
    expect(recorder.only).toMatchObject({ kind: "success", name: "/missing" });
    http.close();
  });

  test("failure(reason) turns a 200 into a failure with Locust's CatchResponseError text", async () => {
    const { recorder, http } = client();
    (await http.get("/ok", { catchResponse: true, name: "ok page" })).failure("wrong content");
    expect(recorder.only).toMatchObject({ kind: "failure", name: "ok page", error: "CatchResponseError('wrong content')" });
    http.close();
  });

  test("failure(error) records the Error itself", async () => {
    const { recorder, http } = client();
    const error = new TypeError("bad shape");
    (await http.get("/ok", { catchResponse: true })).failure(error);
    expect(recorder.only.error).toBe(error);
    http.close();
  });

  test("a second success() or failure() is ignored", async () => {
    const { recorder, http } = client();
    const response = await http.get("/ok", { catchResponse: true });
    response.failure("first");
    response.success();
    response.failure("third");
    expect(recorder.only).toMatchObject({ kind: "failure", error: "CatchResponseError('first')" });
    http.close();
  });

  test("an undecided response is recorded by the default rule when the next request starts", async () => {
    const { recorder, http } = client();
    await http.get("/missing", { catchResponse: true });
    expect(recorder.calls).toEqual([]);
    await http.get("/ok");
    expect(recorder.calls.map((c) => `${c.kind} ${c.name}`)).toEqual(["failure /missing", "success /ok"]);
    http.close();
  });

  test("an undecided response is recorded by the default rule when the client closes", async () => {
    const { recorder, http } = client();
    await http.get("/ok", { catchResponse: true });
    http.close();
    expect(recorder.only).toMatchObject({ kind: "success", name: "/ok" });
  });

  test("an undecided response of a user that is stopped is recorded by the default rule, once", async () => {
    const recorder = new RecordingRecorder();
    const controller = new AbortController();
    const http = new HttpClient({ baseUrl: server.url, recorder, signal: controller.signal });
    const response = await http.get("/missing", { catchResponse: true });
    controller.abort();
    response.success(); // too late: the stop recorded it
    http.close();
    expect(recorder.only).toMatchObject({ kind: "failure", name: "/missing" });
  });

  test("without catchResponse, success() and failure() cannot change what was recorded", async () => {
    const { recorder, http } = client();
    (await http.get("/ok")).failure("too late");
    expect(recorder.only.kind).toBe("success");
    http.close();
  });
});
