// The TV simulator (/tv-screen): a TV app signing in with a code, as RFC 8628 describes it.
// "Sign in" asks for a code (POST /oauth2/device_authorization), shows it large with the QR code of its
// verification_uri_complete (drawn by the gateway, /tv-screen/qr.svg), and polls /oauth2/token at the
// interval it was given, 5 s slower after each slow_down (§3.5), until the code is approved, denied or
// expired. Signed in, it keeps its tokens as the main page does (api.js) and holds the event stream open
// (events.js), so the moment a phone signs it out the signed-out screen shows.

import { Api, SignedOut, clearTokens, saveTokens, tokens } from "./api.js";
import { $, StatusLine } from "./dom.js";
import { LiveEvents } from "./events.js";

const CLIENT = "tv-app"; // the TV app's public client at /oauth2/...
const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const TV_CLIENT_ID = "remotesignout.tv_client_id"; // this TV's install id, kept apart from the browser's own
const DEFAULT_NAME = "Living room TV (simulator)";
const SLOW_DOWN_MS = 5000;
const MAX_NETWORK_WAIT_MS = 60000;
const SCREENS = ["welcome-screen", "code-screen", "expired-screen", "denied-screen", "signed-in-screen",
  "signed-out-screen"];

const REASONS = {
  remote_sign_out: "Someone signed this TV out from their phone or computer.",
  sign_out_all: "Someone chose \u201cSign out of all devices\u201d for this account.",
  password_changed: "The account password was changed.",
  device_removed: "This TV was removed from the account. It can sign in again once the account owner allows it.",
  token_reuse: "A sign-in token of this TV was used twice, so it was signed out to keep the account safe.",
  account_closed: "The account was closed.",
  sign_out: "You signed out of this TV.",
};
const SESSION_ENDED = "Its sign-in has ended. Get a new code to sign in again.";
const AUTHORIZATION_ERRORS = {
  invalid_client: "This TV app isn't registered with the service, so it can't ask for a code.",
  too_many_requests: "Too many codes were asked for from this network. Wait a minute, then try again.",
};

const app = {
  api: null,
  events: null,
  status: new StatusLine($("status")),
  leaving: false,
  generation: 0, // bumped when a code is dropped: a poll or countdown of an older code does nothing
  pollTimer: null,
  countdownTimer: null,
};

const announce = (text) => app.status.announce(text);

/** A stable id for this TV, kept in localStorage (a real TV would keep its install id). */
function installId() {
  let id = localStorage.getItem(TV_CLIENT_ID);
  if (!id) {
    id = crypto.randomUUID ? `tv-${crypto.randomUUID()}`
      : `tv-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
    localStorage.setItem(TV_CLIENT_ID, id);
  }
  return id;
}

function deviceName() {
  const named = new URLSearchParams(window.location.search).get("name");
  return named && named.trim() ? named.trim().slice(0, 100) : DEFAULT_NAME;
}

// ---------------------------------------------------------------- screens
function show(screen, focusId) {
  for (const id of SCREENS) $(id).hidden = id !== screen;
  document.body.dataset.screen = screen;
  $("tv-live").hidden = screen !== "signed-in-screen";
  const target = focusId ? $(focusId) : null;
  if (target) target.focus();
}

function stopCode() {
  app.generation += 1;
  clearTimeout(app.pollTimer);
  clearInterval(app.countdownTimer);
  app.pollTimer = app.countdownTimer = null;
}

function welcomeScreen(error) {
  stopCode();
  $("welcome-error").textContent = error || "";
  $("welcome-error").hidden = !error;
  show("welcome-screen", "get-code");
}

function expiredScreen(text) {
  stopCode();
  $("expired-text").textContent = text || "The code wasn't confirmed in time, so it no longer works.";
  show("expired-screen", "new-code-expired");
  announce("Code expired. Get a new code.");
}

function deniedScreen() {
  stopCode();
  show("denied-screen", "new-code-denied");
  announce("Sign-in denied.");
}

function signedOutScreen(reason) {
  stopCode();
  clearTokens();
  app.events.stop();
  $("signed-out-reason").textContent = (reason && REASONS[reason]) || SESSION_ENDED;
  $("signed-out-screen").dataset.reason = reason || "";
  show("signed-out-screen", "new-code-signed-out");
  announce("This TV was signed out.");
}

function live(state, text) {
  $("tv-live").dataset.state = state;
  $("tv-live-text").textContent = state === "live" ? "Connected" : text;
}

// ---------------------------------------------------------------- asking for a code (RFC 8628 §3.1, §3.2)
async function postForm(path, fields) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams(fields),
    cache: "no-store",
  });
  let data = {};
  try { data = (await response.json()) || {}; } catch { data = {}; }
  return { response, data };
}

/** Asks for a code; `button` (the one pressed) is disabled meanwhile. */
async function getCode(button) {
  stopCode();
  clearTokens();
  app.events.stop();
  const generation = app.generation;
  if (button) button.disabled = true;
  announce("Getting a code\u2026");
  let answer;
  try {
    answer = await postForm("/oauth2/device_authorization", {
      client_id: CLIENT, device_client_id: installId(), device_name: deviceName(), device_type: "tv",
    });
  } catch {
    answer = null;
  } finally {
    if (button) button.disabled = false;
  }
  if (generation !== app.generation) return;
  if (!answer || !answer.response.ok || !answer.data.device_code) {
    const data = answer ? answer.data : {};
    welcomeScreen(AUTHORIZATION_ERRORS[data.error] || data.error_description ||
      "Couldn't get a code: the service didn't answer. Check the connection and try again.");
    return;
  }
  codeScreen(answer.data);
}

function codeScreen(grant) {
  const generation = app.generation;
  const code = String(grant.user_code || "");
  const letters = code.replace(/[^A-Za-z]/g, "");
  $("user-code").replaceChildren();
  const visual = document.createElement("span");
  visual.setAttribute("aria-hidden", "true");
  visual.className = "tv-code-visual";
  visual.textContent = code;
  const spoken = document.createElement("span");
  spoken.className = "visually-hidden";
  spoken.textContent = `Code: ${letters.split("").join(" ")}`;
  $("user-code").append(visual, spoken);
  $("user-code").dataset.code = code;
  const uri = String(grant.verification_uri || "");
  $("verification-uri").textContent = uri.replace(/^https?:\/\//, "");
  const qr = $("qr");
  qr.src = `/tv-screen/qr.svg?code=${encodeURIComponent(letters)}`;
  qr.alt = `QR code: scan it to open ${grant.verification_uri_complete || uri} on your phone`;

  const expiresAt = Date.now() + Math.max(Number(grant.expires_in) || 0, 1) * 1000;
  const state = { interval: Math.max(Number(grant.interval) || 5, 1) * 1000, failures: 0 };
  const tick = () => {
    if (generation !== app.generation) return;
    const left = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
    if (left <= 0) { expiredScreen(); return; }
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    $("countdown").textContent = `This code expires in ${minutes}:${seconds}`;
    $("countdown").dataset.secondsLeft = String(left);
  };
  tick();
  app.countdownTimer = setInterval(tick, 1000);
  show("code-screen", "code-heading");
  announce(`Your code is ${letters.split("").join(" ")}. Enter it on your phone, or scan the QR code.`);

  const poll = async () => {
    if (generation !== app.generation) return;
    let answer;
    try {
      answer = await postForm("/oauth2/token", {
        grant_type: DEVICE_CODE_GRANT, device_code: grant.device_code, client_id: CLIENT,
      });
    } catch {
      answer = null;
    }
    if (generation !== app.generation) return;
    if (!answer) { // no answer: back off exponentially (RFC 8628 §3.5), up to a minute
      state.failures += 1;
      schedule(Math.min(state.interval * 2 ** state.failures, MAX_NETWORK_WAIT_MS));
      return;
    }
    state.failures = 0;
    const { response, data } = answer;
    if (response.ok && data.access_token) {
      stopCode();
      saveTokens(data);
      signedIn(true);
      return;
    }
    switch (data.error) {
      case "authorization_pending":
        schedule(state.interval);
        break;
      case "slow_down":
        state.interval += SLOW_DOWN_MS;
        schedule(state.interval);
        break;
      case "access_denied":
        deniedScreen();
        break;
      case "expired_token":
        expiredScreen();
        break;
      case "invalid_grant":
        expiredScreen("This code can't be used any more.");
        break;
      default:
        if (response.status >= 500 || response.status === 429) schedule(state.interval + SLOW_DOWN_MS);
        else welcomeScreen(data.error_description || "Signing in didn't work. Try again.");
    }
  };
  const schedule = (wait) => {
    clearTimeout(app.pollTimer);
    app.pollTimer = setTimeout(poll, wait);
  };
  schedule(state.interval);
}

// ---------------------------------------------------------------- signed in
/**
 * Who this TV is signed in as: the account's email when the session tells it, else the name of the profile the
 * session entered (GET /v1/session's profile_id among GET /v1/profiles), else the device list's last profile.
 */
async function whoAmI() {
  const current = tokens();
  if (!current) return null;
  const session = await app.api.request("GET", "/v1/session");
  let profile = "";
  if (session.profile_id) {
    try {
      const listed = await app.api.request("GET", "/v1/profiles");
      const entered = (listed.profiles || []).find((p) => p.profile_id === session.profile_id);
      profile = entered ? entered.name : "";
    } catch (error) {
      if (error instanceof SignedOut) throw error;
    }
  }
  if (!profile) {
    try { // a kids profile may not read the device list (403): then there is no name to show
      const { device } = await app.api.request("GET", `/v1/devices/${encodeURIComponent(current.device_id)}`);
      profile = (device && device.last_profile_name) || "";
    } catch (error) {
      if (error instanceof SignedOut) throw error;
    }
  }
  return { email: session.email || "", profile };
}

async function signedIn(justNow) {
  $("signed-in-heading").textContent = "Signed in";
  $("signed-in-text").textContent = "";
  live("connecting", "Connecting\u2026");
  show("signed-in-screen", "signed-in-heading");
  app.events.open();
  let who = null;
  try {
    who = await whoAmI();
  } catch (error) {
    if (error instanceof SignedOut) return;
  }
  if (document.body.dataset.screen !== "signed-in-screen") return;
  const name = who && (who.email || who.profile);
  $("signed-in-heading").textContent = name ? `Signed in as ${name}` : "Signed in";
  const parts = [];
  if (who && who.email && who.profile) parts.push(`Profile: ${who.profile}.`);
  parts.push("Enjoy watching. If this TV is signed out from a phone or computer, this screen shows it at once.");
  $("signed-in-text").textContent = parts.join(" ");
  if (justNow) announce(name ? `Signed in as ${name}.` : "Signed in.");
}

async function signOutHere() {
  app.leaving = true;
  app.events.stop();
  try {
    if (tokens()) await app.api.request("POST", "/v1/sign-out", {}, { retry: false });
  } catch { /* signed out either way */ }
  app.leaving = false;
  signedOutScreen("sign_out");
}

// ---------------------------------------------------------------- wiring
function start() {
  app.api = new Api({ onSessionEnded: () => signedOutScreen(null) });
  app.events = new LiveEvents(app.api, {
    status: live,
    revoked: (reason) => signedOutScreen(reason),
    devices: () => {},
    resync: () => {},
    playbackStopped: (message) => { if (message) announce(message); },
    sessionEnded: () => signedOutScreen(null),
    leaving: () => app.leaving,
  });
  for (const id of ["get-code", "new-code-expired", "new-code-denied", "new-code-signed-out"]) {
    $(id).addEventListener("click", (event) => getCode(event.currentTarget));
  }
  $("cancel-code").addEventListener("click", () => welcomeScreen());
  $("sign-out-tv").addEventListener("click", signOutHere);
  if (tokens()) signedIn(false);
  else welcomeScreen();
}

start();
