// The request target and default name: requests' PreparedRequest.path_url. The expected values
// were printed by requests 2.34 (the pinned Locust's) for each URL:
//   requests.Request("GET", url).prepare().path_url
import { describe, expect, test } from "bun:test";
import { pathUrl } from "../../src/http/path-url.ts";

const REQUESTS: [string, string][] = [
  ["http://h/", "/"],
  ["http://h", "/"],
  ["http://h/a b?x=1 2", "/a%20b?x=1%202"],
  ['http://h/a|b^c`d{e}f"g<h>i', "/a%7Cb%5Ec%60d%7Be%7Df%22g%3Ch%3Ei"],
  ["http://h/a?q='x'&y=\"z\"", "/a?q='x'&y=%22z%22"],
  ["http://h/é?ü=1", "/%C3%A9?%C3%BC=1"],
  ["http://h/%7Ea%41%2f?%20", "/~aA%2F?%20"],
  ["http://h/a/../b/./c", "/b/c"],
  ["http://h/a#frag", "/a"],
  ["http://h/a?", "/a"],
  ["http://h/a\\b", "/a%5Cb"],
  ["http://h/[x]@!$&'()*+,;=:~", "/%5Bx%5D@!$&'()*+,;=:~"],
  ["http://u:p@h/x?y", "/x?y"],
  ["http://h/%zz", "/%25zz"],
  ["http://h/a%2Fb", "/a%2Fb"],
  ["http://h/%41%zz?a=%zz%41", "/%2541%25zz?a=%25zz%2541"],
  ["http://h/a/b/..", "/a/"],
  ["http://h/a/./", "/a/"],
  ["http://h/../../x", "/x"],
  ["http://h/a?b?c/d#e", "/a?b?c/d"],
  ["http://h/😀?[]=1", "/%F0%9F%98%80?%5B%5D=1"],
  ["http://h:8080/x/y?z", "/x/y?z"],
  ["http://h?q=1", "/?q=1"],
  ["http://h/.", "/"],
  ["http://h/a/..b/c", "/a/..b/c"],
];

describe("pathUrl", () => {
  test.each(REQUESTS)("%p is written and named %p, as requests does", (url, expected) => {
    expect(pathUrl(url)).toBe(expected);
  });
});
