import { describe, expect, test } from "bun:test";
import { between, constant, constantPacing, constantThroughput, poisson } from "../../src/index.ts";

describe("constant", () => {
  test("always waits the same number of seconds, whatever the task took", () => {
    const wait = constant(2.5);
    expect([0, 1, 100].map((taskSeconds) => wait({ taskSeconds }))).toEqual([2.5, 2.5, 2.5]);
  });

  test("allows zero and rejects negative, NaN and infinite seconds", () => {
    expect(constant(0)({ taskSeconds: 0 })).toBe(0);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => constant(bad)).toThrow(RangeError);
  });
});

describe("between", () => {
  test("maps the random source onto [min, max]", () => {
    const values = [0, 0.25, 0.5, 0.999];
    let i = 0;
    const wait = between(1, 3, () => values[i++] as number);
    expect(values.map(() => wait({ taskSeconds: 0 }))).toEqual([1, 1.5, 2, 1 + 0.999 * 2]);
  });

  test("stays inside the range with the default Math.random", () => {
    const wait = between(0.5, 2);
    for (let n = 0; n < 1000; n++) {
      const seconds = wait({ taskSeconds: 0 });
      expect(seconds).toBeGreaterThanOrEqual(0.5);
      expect(seconds).toBeLessThanOrEqual(2);
    }
  });

  test("with min equal to max is a constant", () => {
    expect(between(1, 1, () => 0.7)({ taskSeconds: 0 })).toBe(1);
  });

  test("rejects max below min, naming both", () => {
    expect(() => between(3, 1)).toThrow("between(3, 1): max must be >= min");
  });

  test("rejects negative or NaN bounds", () => {
    expect(() => between(-1, 1)).toThrow(RangeError);
    expect(() => between(0, Number.NaN)).toThrow(RangeError);
  });
});

describe("constantPacing (Locust: wait = max(0, period - task duration))", () => {
  test("waits what is left of the period after the task", () => {
    const wait = constantPacing(10);
    expect(wait({ taskSeconds: 0 })).toBe(10);
    expect(wait({ taskSeconds: 3 })).toBe(7);
    expect(wait({ taskSeconds: 9.5 })).toBe(0.5);
  });

  test("does not wait at all after a task that took the whole period or longer", () => {
    const wait = constantPacing(2);
    expect(wait({ taskSeconds: 2 })).toBe(0);
    expect(wait({ taskSeconds: 30 })).toBe(0);
  });

  test("rejects a negative period", () => {
    expect(() => constantPacing(-1)).toThrow(RangeError);
  });
});

describe("constantThroughput (Locust: pacing of 1/n seconds)", () => {
  test("paces n tasks per second", () => {
    const wait = constantThroughput(4);
    expect(wait({ taskSeconds: 0 })).toBe(0.25);
    expect(wait({ taskSeconds: 0.1 })).toBeCloseTo(0.15, 10);
    expect(wait({ taskSeconds: 1 })).toBe(0);
  });

  test("below one task per second waits longer than a second", () => {
    expect(constantThroughput(0.5)({ taskSeconds: 0.5 })).toBe(1.5);
  });

  test("rejects zero, negative, NaN and infinite rates with a message that says what a rate is", () => {
    for (const bad of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => constantThroughput(bad)).toThrow("the rate must be a positive number of tasks per second");
    }
  });
});

describe("poisson (Locust 2.47: random.expovariate(rate))", () => {
  test("draws what Python's expovariate draws from the same random numbers, whatever the task took", () => {
    const draws = [0, 0.25, 0.5, 0.9];
    const wait = poisson(2, () => draws.shift() ?? 0);
    // Python: [random.expovariate(2) for random() in 0, 0.25, 0.5, 0.9]
    const expected = [0, 0.14384103622589045, 0.34657359027997264, 1.151292546497023];
    for (const [i, seconds] of expected.entries()) expect(wait({ taskSeconds: i })).toBeCloseTo(seconds, 14);
  });

  test("averages 1/rate seconds", () => {
    const wait = poisson(4);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += wait({ taskSeconds: 0 });
    expect(sum / 20_000).toBeGreaterThan(0.23);
    expect(sum / 20_000).toBeLessThan(0.27);
  });

  test("rejects zero, negative, NaN and infinite rates like constantThroughput", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => poisson(bad)).toThrow("positive number of tasks per second");
  });
});
