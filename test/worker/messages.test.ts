import { describe, expect, test } from "bun:test";
import { decode } from "@msgpack/msgpack";
import { encodeWorkerMessage } from "../../src/protocol/encode.ts";
import type { MessageHandler } from "../../src/api/definitions.ts";
import { createMessageDispatch } from "../../src/worker/messages.ts";
import { recordingLogger } from "../support/fakes.ts";

function setup(handlers: Record<string, MessageHandler>, canSend = true) {
  const log = recordingLogger();
  const sent: unknown[] = [];
  const dispatch = createMessageDispatch({
    handlers: new Map(Object.entries(handlers)),
    log,
    // The real encoder, so what cannot be encoded fails here as it does in the worker.
    transmit: (name, data) => void sent.push(decode(encodeWorkerMessage({ type: "custom", name, data }, "node"))),
    canSend: () => canSend,
    workerIndex: () => 3,
    runHandler: (fn) => fn(),
  });
  const loud = () => log.lines.filter((l) => l.level !== "debug");
  return { dispatch, log, sent, loud };
}

describe("custom messages from the master", () => {
  test("reach the handler registered for their type, with the data and the worker index", () => {
    const got: unknown[] = [];
    const { dispatch } = setup({ accounts: (data, ctx) => void got.push([data, ctx.type, ctx.workerIndex]) });
    dispatch.receive("accounts", [{ user: "a" }]);
    expect(got).toEqual([[[{ user: "a" }], "accounts", 3]]);
  });

  test("a type nobody registered is logged once, and the worker goes on", () => {
    const { dispatch, loud } = setup({ accounts: () => {} });
    dispatch.receive("nobody", 1);
    dispatch.receive("nobody", 2);
    dispatch.receive("other", 3);
    expect(loud().map((l) => l.message)).toEqual([
      'the master sent a message of type "nobody" and no onMessage handler is registered for it (registered: "accounts"); ignoring it',
      'the master sent a message of type "other" and no onMessage handler is registered for it (registered: "accounts"); ignoring it',
    ]);
  });

  test("a handler that throws, or rejects, is logged once per type", async () => {
    let calls = 0;
    const { dispatch, loud } = setup({
      sync: () => {
        calls++;
        throw new Error("sync boom");
      },
      async: async () => {
        calls++;
        throw new Error("async boom");
      },
    });
    for (let i = 0; i < 3; i++) dispatch.receive("sync", i);
    for (let i = 0; i < 3; i++) dispatch.receive("async", i);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(6);
    const errors = loud().filter((l) => l.level === "error");
    expect(errors.length).toBe(2);
    expect(errors[0]?.message).toContain('the onMessage handler for "sync" threw');
    expect(errors[1]?.message).toContain("async boom");
  });
});

describe("sendMessage to the master", () => {
  test("sends the type and data as given", () => {
    const { dispatch, sent } = setup({});
    expect(dispatch.send("account_done", { user: "a" })).toBe(true);
    expect(sent).toEqual([["account_done", { user: "a" }, "node"]]);
  });

  test("data msgpack cannot carry is logged once per type and not sent", () => {
    const { dispatch, sent, loud } = setup({});
    expect(dispatch.send("t", { f: () => 1 })).toBe(false);
    expect(dispatch.send("t", { at: new Date() })).toBe(false);
    expect(dispatch.send("t", "fine")).toBe(true);
    expect(sent).toEqual([["t", "fine", "node"]]);
    expect(loud().length).toBe(1);
    expect(loud()[0]?.message).toContain('sendMessage("t"): the data cannot be sent');
  });

  test("a protocol type is refused, so the master never mistakes it for stats or a quit", () => {
    const { dispatch, sent, loud } = setup({});
    expect(dispatch.send("stats", {})).toBe(false);
    expect(dispatch.send("quit", null)).toBe(false);
    expect(sent).toEqual([]);
    expect(loud().map((l) => l.message)).toEqual([
      'sendMessage("stats"): "stats" is a Locust protocol message; pick another type. Not sent',
      'sendMessage("quit"): "quit" is a Locust protocol message; pick another type. Not sent',
    ]);
  });

  test("without a master that knows the worker, messages are dropped with one warning", () => {
    const { dispatch, sent, loud } = setup({}, false);
    expect(dispatch.send("x", 1)).toBe(false);
    expect(dispatch.send("x", 2)).toBe(false);
    expect(sent).toEqual([]);
    expect(loud().length).toBe(1);
  });
});
