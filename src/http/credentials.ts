// Credentials in a URL (`http://user:pass@host/`): requests and Locust's HttpSession send them as
// Basic auth and leave them out of the request name; we also keep them out of every error text.
import { Buffer } from "node:buffer";

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;
// Any "//userinfo@" in free text: what the masking replaces.
const ANY_USERINFO = /\/\/[^/?#\s"'<>]*@/g;

/** The URL without its userinfo, and the Authorization header the userinfo stands for (if any). */
export function splitCredentials(url: string): { url: string; authorization: string | undefined } {
  const match = USERINFO.exec(url);
  if (match === null) return { url, authorization: undefined };
  const userinfo = match[2] as string;
  const plain = `${match[1]}${url.slice(match[0].length)}`;
  // The last "@" ends the userinfo and the first ":" splits it, as Python's urlparse reads it.
  const colon = userinfo.indexOf(":");
  const user = unquote(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const pass = colon < 0 ? "" : unquote(userinfo.slice(colon + 1));
  if (user === "" && pass === "") return { url: plain, authorization: undefined };
  return { url: plain, authorization: basicAuth(user, pass) };
}

/** requests' HTTPBasicAuth: latin-1 bytes of "user:pass" in base64 (UTF-8 beyond latin-1). */
export function basicAuth(user: string, pass: string): string {
  const text = `${user}:${pass}`;
  const bytes = /^[\x00-\xff]*$/.test(text) ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
  return `Basic ${bytes.toString("base64")}`;
}

/** `text` with the userinfo of every URL in it replaced by "***". */
export function maskCredentials(text: string): string {
  return text.includes("@") ? text.replace(ANY_USERINFO, "//***@") : text;
}

/** Python's unquote: %XX escapes as UTF-8; a malformed one stays as written. */
function unquote(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%[0-9A-Fa-f]{2}/g, (hex) => String.fromCharCode(parseInt(hex.slice(1), 16)));
  }
}
