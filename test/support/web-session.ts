// A client of a Locust web UI that keeps its session cookie, as a browser does, and logs in the
// way the login page does: it reads the page's authArgs for the form's target and posts to it.
export interface WebSessionOptions {
  /** Bun's fetch TLS options, for a master serving a self-signed certificate. */
  tls?: { rejectUnauthorized?: boolean; ca?: string };
}

export class WebSession {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly options: WebSessionOptions = {},
  ) {}

  /** One request, redirects not followed (a 302 to /login is the answer under test). */
  async request(path: string, init: { method?: string; form?: Record<string, string | number> } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const body = init.form ? new URLSearchParams(Object.entries(init.form).map(([k, v]): [string, string] => [k, String(v)])) : undefined;
    const res = await fetch(this.base + path, {
      method: init.method ?? (body ? "POST" : "GET"),
      headers,
      body,
      redirect: "manual",
      tls: this.options.tls,
    } as RequestInit);
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(";")[0] ?? "";
      const eq = pair.indexOf("=");
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** The login page's settings (Locust renders them into the page as window.authArgs). */
  async loginForm(): Promise<{ username_password_callback?: string; error?: string | null }> {
    const page = await (await this.request("/login")).text();
    const found = /window\.authArgs = (\{.*\})/.exec(page);
    if (!found?.[1]) throw new Error(`no authArgs in the login page:\n${page.slice(0, 500)}`);
    return JSON.parse(found[1]);
  }

  /** Fetches the login form and posts the credentials to where it points. */
  async login(username: string, password: string): Promise<Response> {
    const form = await this.loginForm();
    if (!form.username_password_callback) throw new Error(`the login page has no username/password form: ${JSON.stringify(form)}`);
    return this.request(form.username_password_callback, { form: { username, password } });
  }
}

/** Where a redirect points, relative to the server ("/login?next=..."). */
export function redirectPath(res: Response): string | null {
  const location = res.headers.get("location");
  return location === null ? null : location.replace(/^https?:\/\/[^/]+/, "");
}
