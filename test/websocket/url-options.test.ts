// Where a ctx.websocket URL goes and what it is named, and options refused before any socket.
import { describe, expect, test } from "bun:test";
import { settingsOf } from "../../src/websocket/options.ts";
import { resolveEndpoint } from "../../src/websocket/url.ts";

describe("resolveEndpoint", () => {
  test.each([
    ["/chat?room=1", "http://h:8080", "ws://h:8080/chat?room=1", "/chat?room=1", "h:8080"],
    ["/chat", "https://h", "wss://h/chat", "/chat", "h"],
    ["/x", "http://h/api/", "ws://h/api/x", "/api/x", "h"],
    ["ws://h:80/a b", undefined, "ws://h/a%20b", "/a%20b", "h"],
    ["wss://h:8443", undefined, "wss://h:8443/", "/", "h:8443"],
    ["http://[::1]:9000/v6", undefined, "ws://[::1]:9000/v6", "/v6", "[::1]:9000"],
  ])("%s with host %p is %s, named %s", (url, host, href, name, hostHeader) => {
    const endpoint = resolveEndpoint(url, host);
    expect(endpoint.href).toBe(href);
    expect(endpoint.path).toBe(name);
    expect(endpoint.hostHeader).toBe(hostHeader);
  });

  test("credentials become Basic auth and appear nowhere else", () => {
    const endpoint = resolveEndpoint("ws://ann:s%40cret@h/room", undefined);
    expect(endpoint.authorization).toBe(`Basic ${btoa("ann:s@cret")}`);
    expect(`${endpoint.href} ${endpoint.path} ${endpoint.authority}`).not.toContain("cret");
  });

  test("SNI goes only to names, the connect to a bare IPv6 address", () => {
    expect(resolveEndpoint("wss://example.test/", undefined).servername).toBe("example.test");
    expect(resolveEndpoint("wss://127.0.0.1/", undefined).servername).toBeUndefined();
    expect(resolveEndpoint("wss://[::1]/", undefined).host).toBe("::1");
  });

  test.each([
    ["/relative", undefined, /is relative and no host is set/],
    ["ftp://h/x", undefined, /is not a ws:\/\/, wss:\/\/, http:\/\/ or https:\/\/ URL/],
    ["ws://", undefined, /is not a URL/],
  ])("%s (host %p) is refused", (url, host, message) => {
    expect(() => resolveEndpoint(url, host)).toThrow(message);
  });
});

describe("settingsOf", () => {
  test("defaults: 60 s, 16 MiB, compression offered, the class's TLS verification", () => {
    expect(settingsOf(undefined, false)).toEqual({
      headers: {},
      subprotocols: [],
      timeoutMs: 60_000,
      maxMessageBytes: 16 * 1024 * 1024,
      inbox: { messages: 10_000, bytes: 16 * 1024 * 1024 },
      compression: true,
      rejectUnauthorized: false,
    });
    expect(settingsOf({ timeoutMs: 0 }, true).timeoutMs).toBe(Infinity);
  });

  test.each([
    [{ timeoutMs: -1 }, /timeoutMs must be milliseconds >= 0/],
    [{ maxInboxMessages: -1 }, /maxInboxMessages must be a whole number of messages >= 0/],
    [{ maxInboxBytes: 1.5 }, /maxInboxBytes must be a whole number of bytes >= 0/],
    [{ maxMessageBytes: 0 }, /maxMessageBytes must be a whole number of bytes >= 1/],
    [{ subprotocols: ["has space"] }, /subprotocols must be a list of tokens/],
    [{ headers: { "X-Bad": "a\r\nInjected: 1" } }, /headers must be names and values without line breaks/],
  ])("%j is refused with EINVALIDOPTION", (options, message) => {
    expect(() => settingsOf(options, true)).toThrow(message);
  });
});
