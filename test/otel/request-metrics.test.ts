// The histogram's points as Locust 2.47's on_request listener makes them: seconds, "name" (20
// distinct names, then one overflow name), "error.type" as the exception's class name.
import { describe, expect, test } from "bun:test";
import { HttpError } from "../../src/http/errors.ts";
import { urlParts } from "../../src/otel/span-queue.ts";
import { MAX_REQUEST_NAMES, TOO_MANY_NAMES, errorType, requestDurations } from "../../src/otel/request-metrics.ts";

function recorded() {
  const points: { seconds: number; attributes: Readonly<Record<string, string>> }[] = [];
  const listener = requestDurations((seconds, attributes) => points.push({ seconds, attributes }));
  return { points, listener };
}

describe("requestDurations", () => {
  test("a success is its name and its time in seconds; the method is not an attribute (Locust records none)", () => {
    const { points, listener } = recorded();
    listener("GET", "/cart", 250, undefined);
    expect(points).toEqual([{ seconds: 0.25, attributes: { name: "/cart" } }]);
  });

  test("a failure adds error.type; a request without a duration is not recorded", () => {
    const { points, listener } = recorded();
    listener("POST", "/pay", 12, "HTTPError('500 Server Error: Internal Server Error for url: /pay')");
    listener("GET", "/x", Number.NaN, undefined);
    expect(points).toEqual([{ seconds: 0.012, attributes: { name: "/pay", "error.type": "HTTPError" } }]);
  });

  test("after 20 distinct names every new one is 'Too many unique request names'; known names stay", () => {
    const { points, listener } = recorded();
    for (let i = 0; i <= MAX_REQUEST_NAMES; i++) listener("GET", `/item/${i}`, 1, undefined);
    listener("GET", "/item/0", 1, undefined);
    expect(points[MAX_REQUEST_NAMES - 1]?.attributes).toEqual({ name: `/item/${MAX_REQUEST_NAMES - 1}` });
    expect(points[MAX_REQUEST_NAMES]?.attributes).toEqual({ name: TOO_MANY_NAMES });
    expect(points[MAX_REQUEST_NAMES + 1]?.attributes).toEqual({ name: "/item/0" });
  });

  test("one attributes object per name and error type, not one per request", () => {
    const { points, listener } = recorded();
    listener("GET", "/a", 1, undefined);
    listener("GET", "/a", 2, undefined);
    listener("GET", "/a", 3, new HttpError("ECONNREFUSED", "refused"));
    listener("GET", "/a", 4, new HttpError("ECONNRESET", "reset"));
    expect(points[0]?.attributes).toBe(points[1]?.attributes as Readonly<Record<string, string>>);
    expect(points[2]?.attributes).toBe(points[3]?.attributes as Readonly<Record<string, string>>);
  });
});

describe("errorType", () => {
  test("an Error's name; a recorded text's class; anything else Exception", () => {
    expect(errorType(new HttpError("ETIMEDOUT", "slow"))).toBe("HttpError");
    expect(errorType(new TypeError("x"))).toBe("TypeError");
    expect(errorType("CatchResponseError('wrong body')")).toBe("CatchResponseError");
    expect(errorType("out of stock")).toBe("Exception");
    expect(errorType(42)).toBe("Exception");
  });
});

describe("urlParts", () => {
  test("host, port and path without the query, IPv6 and default ports included", () => {
    expect(urlParts("http://127.0.0.1:8099/api/items/3?x=1")).toEqual({ host: "127.0.0.1", port: 8099, path: "/api/items/3" });
    expect(urlParts("https://shop.example")).toEqual({ host: "shop.example", port: 443, path: "/" });
    expect(urlParts("http://[::1]:81?q")).toEqual({ host: "::1", port: 81, path: "/" });
    expect(urlParts("http://h/")).toEqual({ host: "h", port: 80, path: "/" });
  });
});
