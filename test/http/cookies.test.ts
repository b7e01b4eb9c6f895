import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { Clock } from "../../src/clock.ts";
import {
  CookieJar,
  defaultPath,
  domainMatch,
  MAX_COOKIES,
  MAX_COOKIES_PER_DOMAIN,
  pathMatch,
  type CookieTarget,
} from "../../src/http/cookies.ts";
import { HttpClient } from "../../src/http/index.ts";
import { headerValues } from "../../src/http/response.ts";
import { parseCookieDate, parseSetCookie } from "../../src/http/set-cookie.ts";
import { httpServer, RecordingRecorder, trackServer, type TestServer } from "./helpers.ts";

const T0 = 1_700_000_000; // epoch seconds the jar clock starts at
const at = (host: string, path = "/", secure = false): CookieTarget => ({ host, path, secure });

/** A jar whose clock the test moves. */
function jar(baseUrl?: string) {
  const clock = { now: T0 };
  return { clock, jar: new CookieJar(() => clock.now, baseUrl) };
}

describe("Set-Cookie parsing (RFC 6265 5.2)", () => {
  test("each Set-Cookie header of a head is read on its own, in any case, commas and all", () => {
    const head = new TextEncoder().encode(
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Expires=Wed, 21 Oct 2099 07:28:00 GMT\r\nSet-Cookie2: no=1\r\nX: set-cookie: no\r\nSET-COOKIE:b=2 \r\n\r\n",
    );
    expect(headerValues(head, "set-cookie")).toEqual(["a=1; Expires=Wed, 21 Oct 2099 07:28:00 GMT", "b=2"]);
  });

  test("name, value and attributes are read, with whitespace trimmed and attribute names in any case", () => {
    expect(parseSetCookie(" sid = a b ; Path=/app; DOMAIN=.Example.COM; secure; HttpOnly; SameSite=Lax", T0)).toEqual({
      name: "sid",
      value: "a b",
      domain: "example.com",
      path: "/app",
      secure: true,
      expires: Infinity,
    });
  });

  test("a pair without '=', an empty name, a control character or an oversized cookie is ignored", () => {
    expect(parseSetCookie("novalue", T0)).toBeUndefined();
    expect(parseSetCookie("=v", T0)).toBeUndefined();
    expect(parseSetCookie("a=b\x01c", T0)).toBeUndefined();
    expect(parseSetCookie(`big=${"x".repeat(5000)}`, T0)).toBeUndefined();
    expect(parseSetCookie("empty=", T0)).toMatchObject({ name: "empty", value: "" });
  });

  test("Max-Age wins over Expires in either order; Max-Age <= 0 means delete; a bad value is ignored", () => {
    const past = "Expires=Thu, 01 Jan 1970 00:00:01 GMT";
    expect(parseSetCookie(`a=1; ${past}; Max-Age=60`, T0)?.expires).toBe(T0 + 60);
    expect(parseSetCookie(`a=1; Max-Age=60; ${past}`, T0)?.expires).toBe(T0 + 60);
    expect(parseSetCookie("a=1; Max-Age=0", T0)?.expires).toBe(-Infinity);
    expect(parseSetCookie("a=1; Max-Age=-5", T0)?.expires).toBe(-Infinity);
    expect(parseSetCookie(`a=1; ${past}`, T0)?.expires).toBe(1);
    expect(parseSetCookie("a=1; Max-Age=soon", T0)?.expires).toBe(Infinity);
    expect(parseSetCookie("a=1; Expires=soon", T0)?.expires).toBe(Infinity);
  });

  // Found by fuzzing (test/http/set-cookie.fuzz.test.ts): the last Expires used to win even when
  // it did not parse, turning a cookie the server meant to delete into a session cookie.
  test("an Expires that does not parse leaves an earlier valid one in force (RFC 6265 5.2.1)", () => {
    expect(parseSetCookie("a=1; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Expires=soon", T0)?.expires).toBe(1);
    expect(parseSetCookie("a=1; Expires=soon; Expires=Thu, 01 Jan 1970 00:00:01 GMT", T0)?.expires).toBe(1);
  });

  test("a path that does not start with '/' is the default path; an empty Domain is ignored", () => {
    expect(parseSetCookie("a=1; Path=relative", T0)?.path).toBeUndefined();
    expect(parseSetCookie("a=1; Domain=", T0)?.domain).toBeUndefined();
  });

  const dates: [string, string | undefined][] = [
    ["Wed, 21 Oct 2015 07:28:00 GMT", "2015-10-21T07:28:00.000Z"],
    ["Wednesday, 21-Oct-15 07:28:00 GMT", "2015-10-21T07:28:00.000Z"],
    ["Wed Oct 21 07:28:00 2015", "2015-10-21T07:28:00.000Z"],
    ["21 oct 69 7:28:0", "2069-10-21T07:28:00.000Z"],
    ["Thu, 01 Jan 70 00:00:01 GMT", "1970-01-01T00:00:01.000Z"],
    ["Sat, 31 Feb 2015 07:28:00 GMT", undefined],
    ["Wed, 21 Oct 2015 24:00:00 GMT", undefined],
    ["Wed, 21 Oct 1600 07:28:00 GMT", undefined],
    ["tomorrow", undefined],
  ];
  for (const [text, iso] of dates) {
    test(`the cookie-date ${JSON.stringify(text)} is ${iso ?? "rejected"}`, () => {
      const seconds = parseCookieDate(text);
      expect(seconds === undefined ? undefined : new Date(seconds * 1000).toISOString()).toBe(iso);
    });
  }
});

describe("domain, path and default-path matching (RFC 6265 5.1.3, 5.1.4)", () => {
  test("a host matches its own name and names under it, never an IP by suffix", () => {
    expect(domainMatch("example.com", "example.com")).toBe(true);
    expect(domainMatch("www.example.com", "example.com")).toBe(true);
    expect(domainMatch("notexample.com", "example.com")).toBe(false);
    expect(domainMatch("example.com", "www.example.com")).toBe(false);
    expect(domainMatch("10.0.0.1", "0.0.1")).toBe(false);
  });

  test("a cookie path matches itself and paths below it at a '/'", () => {
    expect(pathMatch("/a/b", "/a/b")).toBe(true);
    expect(pathMatch("/a/b/c", "/a/b")).toBe(true);
    expect(pathMatch("/a/b/c", "/a/b/")).toBe(true);
    expect(pathMatch("/a/bc", "/a/b")).toBe(false);
    expect(pathMatch("/a", "/a/b")).toBe(false);
    expect(pathMatch("/anything", "/")).toBe(true);
  });

  test("the default path is the request path's directory", () => {
    expect(defaultPath("/a/b/login")).toBe("/a/b");
    expect(defaultPath("/login")).toBe("/");
    expect(defaultPath("/")).toBe("/");
    expect(defaultPath("")).toBe("/");
  });
});

describe("CookieJar", () => {
  test("a cookie without Domain is host-only: not sent to subdomains", () => {
    const { jar: cookies } = jar();
    cookies.store(["sid=1"], at("example.com"));
    expect(cookies.header(at("example.com"))).toBe("sid=1");
    expect(cookies.header(at("www.example.com"))).toBe("");
    expect(cookies.header(at("other.com"))).toBe("");
  });

  test("a Domain cookie (leading dot or not) is sent to the domain and its subdomains", () => {
    const { jar: cookies } = jar();
    cookies.store(["a=1; Domain=.example.com", "b=2; Domain=example.com"], at("www.example.com"));
    expect(cookies.header(at("example.com"))).toBe("a=1; b=2");
    expect(cookies.header(at("api.example.com"))).toBe("a=1; b=2");
    expect(cookies.header(at("notexample.com"))).toBe("");
  });

  test("a Domain the request host is not under, or a dotless one, is rejected", () => {
    const { jar: cookies } = jar();
    cookies.store(["a=1; Domain=other.com", "b=2; Domain=www.example.com", "c=3; Domain=com"], at("example.com"));
    expect(cookies.size).toBe(0);
    cookies.store(["d=4; Domain=localhost", "e=5; Domain=127.0.0.1"], at("localhost"));
    expect(cookies.header(at("localhost"))).toBe("d=4");
    cookies.store(["e=5; Domain=127.0.0.1"], at("127.0.0.1"));
    expect(cookies.header(at("127.0.0.1"))).toBe("e=5");
  });

  test("the default path scopes a cookie to the directory it was set from; longer paths are sent first", () => {
    const { jar: cookies } = jar();
    cookies.store(["dir=1"], at("h.test", "/app/login"));
    cookies.store(["root=2; Path=/"], at("h.test", "/app/login"));
    cookies.store(["deep=3; Path=/app/admin"], at("h.test", "/"));
    expect(cookies.header(at("h.test", "/app/admin/users"))).toBe("deep=3; dir=1; root=2");
    expect(cookies.header(at("h.test", "/app"))).toBe("dir=1; root=2");
    expect(cookies.header(at("h.test", "/application"))).toBe("root=2");
  });

  test("a Secure cookie is only sent over https", () => {
    const { jar: cookies } = jar();
    cookies.store(["s=1; Secure", "p=2"], at("h.test"));
    expect(cookies.header(at("h.test", "/", false))).toBe("p=2");
    expect(cookies.header(at("h.test", "/", true))).toBe("s=1; p=2");
  });

  test("the same name, domain and path replaces a cookie in place; another path is another cookie", () => {
    const { jar: cookies } = jar();
    cookies.store(["a=1", "b=1", "a=2; Path=/x"], at("h.test", "/"));
    cookies.store(["a=3"], at("h.test", "/"));
    expect(cookies.size).toBe(3);
    expect(cookies.header(at("h.test", "/x"))).toBe("a=2; a=3; b=1");
  });

  test("Max-Age expires a cookie when the clock passes it; Max-Age=0 and a past Expires delete it", () => {
    const { clock, jar: cookies } = jar();
    cookies.store(["short=1; Max-Age=60", "long=2; Expires=Wed, 21 Oct 2099 07:28:00 GMT", "gone=3"], at("h.test"));
    cookies.expire();
    expect(cookies.header(at("h.test"))).toBe("short=1; long=2; gone=3");
    clock.now = T0 + 59;
    cookies.expire();
    expect(cookies.get("short")).toBe("1");
    clock.now = T0 + 60;
    cookies.expire();
    expect(cookies.get("short")).toBeUndefined();
    cookies.store(["gone=x; Max-Age=0", "long=x; Expires=Thu, 01 Jan 1970 00:00:01 GMT"], at("h.test"));
    expect(cookies.header(at("h.test"))).toBe("");
    expect(cookies.size).toBe(0);
  });

  test("every change that can change a Cookie header bumps the version; a refreshed expiry does not", () => {
    const { jar: cookies } = jar();
    cookies.store(["a=1; Max-Age=60"], at("h.test"));
    const version = cookies.version;
    cookies.store(["a=1; Max-Age=120"], at("h.test"));
    expect(cookies.version).toBe(version);
    cookies.store(["a=2; Max-Age=120"], at("h.test"));
    expect(cookies.version).toBeGreaterThan(version);
  });

  test(`a domain keeps at most ${MAX_COOKIES_PER_DOMAIN} cookies and a jar ${MAX_COOKIES}: the oldest go first`, () => {
    const { jar: cookies } = jar();
    cookies.store(
      Array.from({ length: 80 }, (_, i) => `c${i}=${i}`),
      at("one.test"),
    );
    expect(cookies.size).toBe(MAX_COOKIES_PER_DOMAIN);
    expect(cookies.get("c29", "http://one.test/")).toBeUndefined();
    expect(cookies.get("c30", "http://one.test/")).toBe("30");
    for (let d = 0; d < 10; d++)
      cookies.store(
        Array.from({ length: 40 }, (_, i) => `d${d}x${i}=1`),
        at(`d${d}.test`),
      );
    expect(cookies.size).toBe(MAX_COOKIES);
    expect(cookies.get("c79")).toBeUndefined(); // one.test's were the oldest
    expect(cookies.get("d9x39")).toBe("1");
  });

  test("set() cookies without a domain go to every host, as in requests; get() by URL resolves against baseUrl", () => {
    const { jar: cookies } = jar("http://h.test/api");
    cookies.set("token", "t1");
    cookies.set("scoped", "s1", { domain: ".h.test", path: "/api/admin" });
    expect(cookies.header(at("anywhere.test"))).toBe("token=t1");
    expect(cookies.header(at("www.h.test", "/api/admin/x"))).toBe("scoped=s1; token=t1");
    expect(cookies.get("scoped", "/admin")).toBe("s1");
    expect(cookies.get("scoped", "/other")).toBeUndefined();
    cookies.set("token", "t2");
    expect(cookies.get("token")).toBe("t2");
    cookies.clear();
    expect(cookies.size).toBe(0);
    expect(cookies.get("token")).toBeUndefined();
  });

  test("set() refuses names and values that would break the Cookie header", () => {
    const { jar: cookies } = jar();
    expect(() => cookies.set("a;b", "1")).toThrow(expect.objectContaining({ code: "EINVALIDHEADER" }));
    expect(() => cookies.set("a", "1\r\nX-Injected: 1")).toThrow(expect.objectContaining({ code: "EINVALIDHEADER" }));
    expect(() => cookies.set("a", "1; b=2")).toThrow(expect.objectContaining({ code: "EINVALIDHEADER" }));
    expect(() => cookies.set("a", "1", { path: "x" })).toThrow(expect.objectContaining({ code: "EINVALIDHEADER" }));
    expect(cookies.size).toBe(0);
  });
});

// ---- against real servers -------------------------------------------------------------------

let server: TestServer;
beforeAll(async () => {
  server = await httpServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname === "/login") {
      response.setHeader("set-cookie", ["session=abc; Path=/; HttpOnly", "theme=dark; Expires=Wed, 21 Oct 2099 07:28:00 GMT; Path=/"]);
      return response.end("logged in");
    }
    if (url.pathname === "/login-redirect") {
      response.statusCode = 302;
      response.setHeader("set-cookie", "session=from-hop; Path=/");
      response.setHeader("location", "/me");
      return response.end();
    }
    if (url.pathname === "/logout") {
      response.setHeader("set-cookie", "session=; Max-Age=0; Path=/");
      return response.end("bye");
    }
    if (url.pathname === "/short") {
      response.setHeader("set-cookie", "brief=1; Max-Age=10; Path=/");
      return response.end("short");
    }
    response.end(request.headers.cookie ?? "(none)");
  });
});
afterAll(() => server.close());

function client(options: { cookies?: boolean; clock?: Clock } = {}) {
  const recorder = new RecordingRecorder();
  return { recorder, http: new HttpClient({ baseUrl: server.url, recorder, ...options }) };
}

describe("HttpClient cookies", () => {
  test("a login's cookies (two Set-Cookie headers, one with a comma in Expires) go with the next requests", async () => {
    const { http } = client();
    expect((await http.get("/me")).text()).toBe("(none)");
    const login = await http.post("/login");
    expect(login.headers["set-cookie"]).toContain("session=abc; Path=/; HttpOnly, theme=dark");
    expect((await http.get("/me")).text()).toBe("session=abc; theme=dark");
    expect((await http.get("/me")).text()).toBe("session=abc; theme=dark");
    expect(http.cookies.get("session")).toBe("abc");
    expect(http.cookies.get("theme", "/anything")).toBe("dark");
    http.close();
  });

  test("a cookie set on a redirect hop is sent on the next hop, and the call is recorded once", async () => {
    const { recorder, http } = client();
    const response = await http.get("/login-redirect");
    expect(response.url).toBe(`${server.url}/me`);
    expect(response.text()).toBe("session=from-hop");
    expect(recorder.only).toMatchObject({ kind: "success", name: "/login-redirect" });
    http.close();
  });

  test("a server deleting a cookie (Max-Age=0) stops it being sent", async () => {
    const { http } = client();
    await http.post("/login");
    await http.post("/logout");
    expect((await http.get("/me")).text()).toBe("theme=dark");
    http.close();
  });

  test("a cookie set between two calls to the same URL is picked up, and a cleared jar sends none", async () => {
    const { http } = client();
    expect((await http.get("/me")).text()).toBe("(none)");
    http.cookies.set("added", "1");
    expect((await http.get("/me")).text()).toBe("added=1");
    http.cookies.set("added", "2");
    expect((await http.get("/me")).text()).toBe("added=2");
    http.cookies.clear();
    expect((await http.get("/me")).text()).toBe("(none)");
    http.close();
  });

  test("a cookie stops being sent when the client's clock passes its Max-Age", async () => {
    let epoch = T0;
    const clock: Clock = { now: () => performance.now(), epoch: () => epoch };
    const { http } = client({ clock });
    await http.get("/short");
    expect((await http.get("/me")).text()).toBe("brief=1");
    epoch = T0 + 10;
    expect((await http.get("/me")).text()).toBe("(none)");
    http.close();
  });

  test("a Cookie header given by the caller is sent as given, instead of the jar's", async () => {
    const { http } = client();
    await http.post("/login");
    expect((await http.get("/me", { headers: { cookie: "mine=1" } })).text()).toBe("mine=1");
    const withDefault = new HttpClient({ baseUrl: server.url, recorder: new RecordingRecorder(), headers: { Cookie: "default=1" } });
    await withDefault.post("/login");
    expect((await withDefault.get("/me")).text()).toBe("default=1");
    http.close();
    withDefault.close();
  });

  test("each client has its own jar, as each simulated user has its own session", async () => {
    const { http: alice } = client();
    const { http: bob } = client();
    await alice.post("/login");
    expect((await bob.get("/me")).text()).toBe("(none)");
    alice.close();
    bob.close();
  });

  test("with cookies: false Set-Cookie is ignored, but cookies the task sets are sent", async () => {
    const { http } = client({ cookies: false });
    await http.post("/login");
    expect(http.cookies.size).toBe(0);
    expect((await http.get("/me")).text()).toBe("(none)");
    http.cookies.set("manual", "1");
    expect((await http.get("/me")).text()).toBe("manual=1");
    http.close();
  });
});

describe("HttpClient cookies over HTTPS", () => {
  const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
  let secure: TestServer;
  beforeAll(async () => {
    const https = createServer({ key: fixture("key.pem"), cert: fixture("cert.pem") }, (request, response) => {
      if (request.url === "/login") response.setHeader("set-cookie", ["s=1; Secure; Path=/", "p=2; Path=/"]);
      response.end(request.headers.cookie ?? "(none)");
    });
    secure = await trackServer(https, "https");
  });
  afterAll(() => secure.close());

  test("a Secure cookie goes back over https but not over http to the same host (cookies ignore ports)", async () => {
    const http = new HttpClient({ recorder: new RecordingRecorder(), rejectUnauthorized: false });
    await http.get(`https://localhost:${secure.port}/login`);
    expect((await http.get(`https://localhost:${secure.port}/me`)).text()).toBe("s=1; p=2");
    expect((await http.get(`http://localhost:${server.port}/me`)).text()).toBe("p=2");
    http.close();
  });
});

describe("cookies a task sets itself", () => {
  test("one larger than the jar keeps is refused with EINVALIDHEADER, never dropped silently", () => {
    const client = new HttpClient({ recorder: new RecordingRecorder() });
    expect(() => client.cookies.set("token", "x".repeat(5000))).toThrow(/EINVALIDHEADER|keeps cookies up to/);
    client.cookies.set("token", "x".repeat(1000));
    expect(client.cookies.get("token", "http://example.test/")).toHaveLength(1000);
    client.close();
  });
});
