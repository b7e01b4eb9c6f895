// A --host value: an http:// or https:// URL, kept as given but for trailing slashes (Locust joins
// host and path as strings). The worker, `locustfile` and `run` all take one; a bad one is a usage error.
import { LoadworkerError } from "../errors.ts";

export function parseHostUrl(value: string | undefined, flag: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LoadworkerError("E_USAGE", `${flag} must be a URL such as http://127.0.0.1:8099, got "${maskedInput(value)}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LoadworkerError("E_USAGE", `${flag} must be an http:// or https:// URL, got "${maskedInput(value)}"`);
  }
  return value.replace(/\/+$/, "");
}

// A value that is not a URL may still hold a password ("u:secret@host"): hide all before the last "@".
function maskedInput(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/*)?.*@/i, "$1***@");
}
