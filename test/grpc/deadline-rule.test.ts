// Which DEADLINE_EXCEEDED is the call's own deadline (one failure row with the deadline's text) and
// which is the server's (its text kept): the rule call.ts applies when a status arrives. The race it
// settles (the server's grpc-timeout timer a moment ahead of ours) is seen end to end in worker.test.ts.
import { expect, test } from "bun:test";
import { isOurDeadline } from "../../src/grpc/call.ts";
import { CODE } from "../../src/grpc/status.ts";

test("a DEADLINE_EXCEEDED up to 2 ms before the call's deadline, or after it, is the call's own", () => {
  for (const ms of [298, 299.5, 300, 340]) expect(isOurDeadline(CODE.DEADLINE_EXCEEDED, ms, 300)).toBe(true);
});

test("one sent earlier is the server's own (an upstream's deadline), as is one on a call without a deadline", () => {
  expect(isOurDeadline(CODE.DEADLINE_EXCEEDED, 297.9, 300)).toBe(false);
  expect(isOurDeadline(CODE.DEADLINE_EXCEEDED, 5, 300)).toBe(false);
  expect(isOurDeadline(CODE.DEADLINE_EXCEEDED, 5_000, undefined)).toBe(false);
});

test("another status past the deadline keeps its own meaning", () => {
  expect(isOurDeadline(CODE.UNAVAILABLE, 300, 300)).toBe(false);
  expect(isOurDeadline(CODE.OK, 300, 300)).toBe(false);
});
