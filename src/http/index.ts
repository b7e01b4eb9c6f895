// The HTTP client's public surface; everything else in src/http/ is internal.
export { HttpClient, type HttpClientOptions, type RequestOptions } from "./client.ts";
export type { CookieJar, SetCookieOptions } from "./cookies.ts";
export { HttpError, type HttpErrorCode } from "./errors.ts";
export { HttpResponse } from "./response.ts";
export { maskCredentials } from "./credentials.ts";
