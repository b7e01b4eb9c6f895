// The request target as requests writes it, which Locust also uses as a request's default name
// (`path_url` of the first request): urllib3 drops dot segments and percent-encodes what a path
// or query may not hold, then requests decodes the unreserved characters again.

// RFC 3986 unreserved, sub-delims, ":" and "@", "/" (and "?" in a query): kept as they are.
const PLAIN = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*$/;
const ALLOWED = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const PERCENT = /%([0-9A-Fa-f]{2})/g;
const encoder = new TextEncoder();

/** "/path?query" of an absolute http(s) URL string: no fragment, "/" for an empty path, no empty "?". */
export function pathUrl(url: string): string {
  const authority = url.indexOf("//") + 2;
  let start = authority;
  while (start < url.length && url[start] !== "/" && url[start] !== "?" && url[start] !== "#") start++;
  const hash = url.indexOf("#", start);
  const rest = hash < 0 ? url.slice(start) : url.slice(start, hash);
  const mark = rest.indexOf("?");
  const rawPath = mark < 0 ? rest : rest.slice(0, mark);
  const rawQuery = mark < 0 ? "" : rest.slice(mark + 1);
  const path = rawPath === "" ? "/" : requote(rawPath.includes("/.") ? removeDotSegments(rawPath) : rawPath, false);
  return rawQuery === "" ? path : `${path}?${requote(rawQuery, true)}`;
}

function requote(part: string, query: boolean): string {
  if (PLAIN.test(part) && (query || !part.includes("?"))) return part;
  // urllib3: one "%" that starts no escape makes every "%" literal.
  const escapes = part.match(PERCENT)?.length ?? 0;
  let percentsAreEscapes = true;
  for (let i = part.indexOf("%"), seen = 0; i >= 0; i = part.indexOf("%", i + 1)) if (++seen > escapes) percentsAreEscapes = false;
  let out = "";
  for (let i = 0; i < part.length; i++) {
    const ch = part[i] as string;
    if (ch === "%" && percentsAreEscapes) {
      const hex = part.slice(i + 1, i + 3);
      const decoded = String.fromCharCode(parseInt(hex, 16));
      out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      i += 2;
    } else if (ALLOWED.test(ch) || (query && ch === "?")) out += ch;
    else {
      const code = part.codePointAt(i) ?? 0;
      if (code > 0xffff) i++;
      for (const byte of encoder.encode(String.fromCodePoint(code))) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

/** RFC 3986 5.2.4, as urllib3 applies it before sending. */
function removeDotSegments(path: string): string {
  const output: string[] = [];
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === ".") continue;
    if (segment === "..") {
      if (output.length > 1) output.pop();
      continue;
    }
    output.push(segment);
  }
  const last = segments[segments.length - 1];
  if (last === "." || last === "..") output.push("");
  const joined = output.join("/");
  return joined.startsWith("/") ? joined : `/${joined}`;
}
