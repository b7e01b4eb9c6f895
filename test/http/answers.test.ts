// A call's answer reaches its task after the turn's socket events (answers.ts): answers given in
// one turn are handed out together, in order, in the next immediate; one given while they are
// handed out (a task that resumed, called again and was answered at once) waits for the next.
import { describe, expect, test } from "bun:test";
import { answerLater } from "../../src/http/answers.ts";
import type { HttpResponse } from "../../src/http/response.ts";

const response = (n: number) => ({ status: n }) as unknown as HttpResponse;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("answerLater", () => {
  test("hands out the answers of a turn after it, together and in the order they came", async () => {
    const got: number[] = [];
    for (const n of [1, 2, 3]) answerLater((r) => got.push(r.status), response(n));
    expect(got).toEqual([]);
    await Promise.resolve();
    expect(got).toEqual([]); // not a microtask: the turn's other socket events come first
    await nextTurn();
    expect(got).toEqual([1, 2, 3]);
  });

  test("an answer given while they are handed out waits for the next turn", async () => {
    const got: string[] = [];
    answerLater(() => {
      got.push("first");
      answerLater(() => got.push("again"), response(2));
    }, response(1));
    answerLater(() => got.push("second"), response(3));
    await nextTurn();
    expect(got).toEqual(["first", "second"]);
    await nextTurn();
    expect(got).toEqual(["first", "second", "again"]);
  });
});
