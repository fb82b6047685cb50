// The gateway's HTTP API: tokens, one fetch wrapper that refreshes once on 401 and asks for the password
// again on 403 reauthentication_required, errors into words.

export const MESSAGES = {
  invalid_credentials: "The email or password is incorrect.",
  device_banned: "This device was removed from the account, so it can't sign in. " +
    "The account owner can allow it again from Manage access and devices on another device.",
  throttled: "Too many attempts. Wait a moment and try again.",
  server: "Something went wrong on our side; try again.",
};

/** 401 codes about a password or PIN the person typed: the session is fine, so no refresh, no sign-out. */
const NOT_TOKEN = new Set(["wrong_password", "wrong_pin"]);

/** An account-level change needs the password entered on this session recently. */
export const REAUTHENTICATE = "reauthentication_required";

// ---------------------------------------------------------------- tokens (this tab's session)
const TOKENS = "remotesignout.tokens";
const EMAIL = "remotesignout.email";
const CLIENT_ID = "remotesignout.client_id";

export function tokens() {
  try { return JSON.parse(sessionStorage.getItem(TOKENS) || "null"); } catch { return null; }
}

export function saveTokens(pair) {
  sessionStorage.setItem(TOKENS, JSON.stringify({
    access_token: pair.access_token, refresh_token: pair.refresh_token,
    session_id: pair.session_id, device_id: pair.device_id,
  }));
}

export function clearTokens() { sessionStorage.removeItem(TOKENS); }

export function savedEmail() { return sessionStorage.getItem(EMAIL) || ""; }

// ---------------------------------------------------------------- this browser as a device
/** A stable id for this browser, kept in localStorage. */
export function clientId() {
  let id = localStorage.getItem(CLIENT_ID);
  if (!id) {
    id = (crypto.randomUUID ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""));
    localStorage.setItem(CLIENT_ID, id);
  }
  return id;
}

/** "Chromium on Linux" and the like, from the user agent. */
export function deviceName() {
  const ua = navigator.userAgent;
  const brands = (navigator.userAgentData && navigator.userAgentData.brands || []).map((b) => b.brand);
  let browser = "Web browser";
  if (/Edg\//.test(ua)) browser = "Edge";
  else if (/OPR\//.test(ua)) browser = "Opera";
  else if (/Firefox\//.test(ua)) browser = "Firefox";
  else if (/(Chrome|Chromium|HeadlessChrome)\//.test(ua)) {
    browser = brands.includes("Google Chrome") ? "Chrome" : "Chromium";
  } else if (/Safari\//.test(ua)) browser = "Safari";
  let system = "";
  if (/Android/.test(ua)) system = "Android";
  else if (/iPhone|iPad|iPod/.test(ua)) system = "iOS";
  else if (/Windows/.test(ua)) system = "Windows";
  else if (/Mac OS X|Macintosh/.test(ua)) system = "macOS";
  else if (/CrOS/.test(ua)) system = "ChromeOS";
  else if (/Linux/.test(ua)) system = "Linux";
  return system ? `${browser} on ${system}` : browser;
}

// ---------------------------------------------------------------- errors
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

/** Thrown instead of an answer once this device's session has ended (the page already says so). */
export class SignedOut extends Error {}

/** The sentence to show for an error. */
export function messageFor(error) {
  if (error instanceof ApiError) {
    if (error.code === "invalid_credentials") return MESSAGES.invalid_credentials;
    if (error.code === "device_banned") return MESSAGES.device_banned;
    if (error.status === 429 || error.code === "sign_in_throttled") return MESSAGES.throttled;
    if (error.status === 0 || error.status >= 500) return MESSAGES.server;
    if (error.message && error.message !== error.code) return error.message;
  }
  return MESSAGES.server;
}

/** A short kind for an error (data-kind on error boxes). */
export function errorKind(error) {
  if (!(error instanceof ApiError)) return "server";
  if (error.code === "invalid_credentials" || error.code === "device_banned") return error.code;
  if (error.status === 429 || error.code === "sign_in_throttled") return "throttled";
  if (error.status === 0 || error.status >= 500) return "server";
  return error.code;
}

/** A route the gateway does not have (yet): the control that needs it is hidden. */
export function missingRoute(error) {
  return error instanceof ApiError && (error.status === 405 || error.status === 501 ||
    (error.status === 404 && /nothing at this address/i.test(error.message)));
}

// ---------------------------------------------------------------- the client
export class Api {
  #refreshing = null;
  #onSessionEnded;
  #reauthenticate;

  /**
   * onSessionEnded(): called when a request gets 401 and the refresh token cannot renew it.
   * reauthenticate(): called when a change answers 403 reauthentication_required; resolves to whether the
   * person entered the password (then the change is sent once more).
   */
  constructor({ onSessionEnded, reauthenticate }) {
    this.#onSessionEnded = onSessionEnded;
    this.#reauthenticate = reauthenticate || (async () => false);
  }

  /** Enters the account password on this session (POST /v1/session/confirm-password). */
  confirmPassword(password) {
    return this.request("POST", "/v1/session/confirm-password", { password }, { reauth: false });
  }

  /**
   * Renews the access token with the refresh token; resolves to whether that worked.
   * One refresh at a time: a refresh token is rotated on use, so a second concurrent
   * refresh with the same token would look like token reuse and end the session.
   */
  refreshOnce() {
    if (!this.#refreshing) {
      this.#refreshing = (async () => {
        const current = tokens();
        if (!current || !current.refresh_token) return false;
        try {
          const response = await fetch("/v1/token/refresh", {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ refresh_token: current.refresh_token }),
          });
          if (!response.ok) return false;
          saveTokens(await response.json());
          return true;
        } catch {
          return false;
        }
      })().finally(() => { setTimeout(() => { this.#refreshing = null; }, 0); });
    }
    return this.#refreshing;
  }

  /**
   * Sends one JSON request and resolves to the JSON answer.
   * options.auth (default true): send the access token; options.retry (default true): on 401,
   * refresh once and try again; options.reauth (default true): on 403 reauthentication_required, ask
   * for the password and try again. Throws ApiError for an error answer, SignedOut when the session ended.
   */
  async request(method, path, body, options) {
    const opts = { auth: true, retry: true, reauth: true, ...options };
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const current = tokens();
    if (opts.auth) {
      if (!current) throw new SignedOut();
      headers.Authorization = `Bearer ${current.access_token}`;
    }
    let response;
    try {
      response = await fetch(path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
      });
    } catch {
      throw new ApiError(0, "network", MESSAGES.server);
    }
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    const error = data && data.error ? data.error : {};
    if (response.status === 401 && opts.auth && !NOT_TOKEN.has(error.code)) {
      if (opts.retry && await this.refreshOnce()) return this.request(method, path, body, { ...opts, retry: false });
      this.#onSessionEnded();
      throw new SignedOut();
    }
    if (response.status === 403 && error.code === REAUTHENTICATE && opts.reauth && await this.#reauthenticate()) {
      return this.request(method, path, body, { ...opts, reauth: false });
    }
    if (!response.ok) {
      throw new ApiError(response.status, error.code || `http_${response.status}`, error.message || "");
    }
    return data;
  }

  /**
   * GETs a file (an answer with Content-Disposition: attachment) and resolves to { blob, filename }.
   * Refreshes once on 401 like request(); throws ApiError for an error answer, SignedOut when the session ended.
   */
  async download(path, retry = true) {
    const current = tokens();
    if (!current) throw new SignedOut();
    let response;
    try {
      response = await fetch(path, { headers: { Authorization: `Bearer ${current.access_token}` }, cache: "no-store" });
    } catch {
      throw new ApiError(0, "network", MESSAGES.server);
    }
    if (response.status === 401) {
      if (retry && await this.refreshOnce()) return this.download(path, false);
      this.#onSessionEnded();
      throw new SignedOut();
    }
    if (!response.ok) {
      let data = null;
      try { data = await response.json(); } catch { data = null; }
      const error = data && data.error ? data.error : {};
      throw new ApiError(response.status, error.code || `http_${response.status}`, error.message || "");
    }
    const named = /filename="([^"\\/]+)"/.exec(response.headers.get("Content-Disposition") || "");
    return { blob: await response.blob(), filename: named ? named[1] : "download" };
  }

  /** Signs this browser in as a device and keeps its tokens for this tab. */
  async signIn(email, password) {
    const pair = await this.request("POST", "/v1/sign-in", {
      email, password, device: { client_id: clientId(), name: deviceName(), type: "browser" },
    }, { auth: false });
    sessionStorage.setItem(EMAIL, email);
    saveTokens(pair);
  }
}
