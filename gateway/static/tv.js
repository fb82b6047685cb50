// Connect a TV (/tv): a signed-in phone or browser enters the code a TV shows (or arrives from its QR code,
// /tv?code=...), sees which device asks, from where and when, and approves or denies it (RFC 8628 §3.3).
// The remote-phishing check of RFC 8628 §5.4: a warning when the TV asks from somewhere else than this device.
// Signing in works as on the main page and keeps its tokens the same way (api.js), so one sign-in serves both.

import { Api, ApiError, SignedOut, errorKind, messageFor, savedEmail, tokens } from "./api.js";
import { $, StatusLine, TYPE_NAMES, busy, h, icon, showError, timeElement } from "./dom.js";
import { compact, format, problem } from "./usercode.js";

const SCREENS = ["sign-in-screen", "code-screen", "review-screen", "done-screen"];

/** What each error of /v1/device-authorizations/... means to the person holding the phone. */
export const CODE_ERRORS = {
  invalid_user_code: "That isn't a TV code. A code is 8 letters, such as BCDF-GHJK: check the code on your TV.",
  unknown_user_code: "No TV is asking with that code. Check the code on your TV and enter it again.",
  expired_user_code: "That code has expired. Choose \u201cGet a new code\u201d on your TV and enter the new one.",
  user_code_used: "That code was already used. If you didn't use it yourself, get a new code on your TV.",
  too_many_attempts: "Too many codes were tried from here. Wait a few minutes, then enter the code again.",
  kids_profile: "A kids profile can't sign in a TV. Switch to an adult profile on this device first.",
  device_banned: "This TV was removed from your account, so it can't sign in with a code. You can allow it " +
    "again from Manage access and devices, then get a new code on the TV.",
};
const SESSION_ENDED = "Your sign-in on this device has ended. Sign in again to connect your TV.";

const app = {
  api: null,
  status: new StatusLine($("status")),
  code: "", // the code being looked at, as 8 capital letters
  request: null, // the device authorization looked up
};

const announce = (text) => app.status.announce(text);
const codePath = (code) => `/v1/device-authorizations/${encodeURIComponent(code)}`;

function codeMessage(error) {
  if (error instanceof ApiError) {
    if (CODE_ERRORS[error.code]) return CODE_ERRORS[error.code];
    if (error.status === 429) return CODE_ERRORS.too_many_attempts;
  }
  return messageFor(error);
}

/** data-kind of an error box: the code's error code itself, else the page's usual kinds. */
function codeKind(error) {
  return error instanceof ApiError && CODE_ERRORS[error.code] ? error.code : errorKind(error);
}

// ---------------------------------------------------------------- screens
function show(screen, focusId) {
  app.status.clear();
  for (const id of SCREENS) $(id).hidden = id !== screen;
  document.body.dataset.screen = screen;
  const signedIn = screen !== "sign-in-screen";
  $("who").hidden = !signedIn;
  if (signedIn) $("who-email").textContent = savedEmail();
  const target = focusId ? $(focusId) : null;
  if (target) target.focus();
}

function signInScreen(message) {
  showError($("sign-in-error"), "");
  const email = savedEmail();
  if (email && !$("sign-in-email").value) $("sign-in-email").value = email;
  $("sign-in-password").value = "";
  $("sign-in-code").hidden = !app.code;
  $("sign-in-code-value").textContent = app.code ? format(app.code) : "";
  show("sign-in-screen", "sign-in-heading");
  if (message) announce(message);
}

/** The code field, with `error` under it (the code typed stays). */
function codeScreen(error, kind) {
  if (app.code && !$("code").value) $("code").value = format(app.code);
  show("code-screen", error ? null : "code-heading");
  const box = $("code-error");
  box.dataset.kind = kind || "";
  showError(box, error || "");
  if (error) {
    $("code").setAttribute("aria-invalid", "true");
    $("code").focus();
  } else {
    $("code").removeAttribute("aria-invalid");
  }
}

function place(location) {
  return (location && location.description) || "an unknown place";
}

/** A profile as the choice lists it: one with a PIN is chosen on the TV, where its PIN is entered. */
function profileLabel(profile) {
  const name = profile.kind === "kids" ? `${profile.name} (kids)` : profile.name;
  return profile.has_pin ? `${name} — has a PIN: choose it on the TV` : name;
}

function reviewScreen(request, profiles) {
  app.request = request;
  const device = request.device || {};
  const type = TYPE_NAMES[device.type] || "Device";
  $("request-icon").replaceChildren(icon(device.type, 30));
  $("request-name").textContent = device.name || type;
  $("request-type").textContent = type;
  $("request-location").textContent = (request.location && request.location.description) || "Unknown";
  $("request-time").replaceChildren(timeElement(request.requested_at) || "Unknown");
  $("request-code").textContent = request.user_code || format(app.code);
  const warning = $("location-warning");
  warning.hidden = !request.location_differs;
  $("location-warning-text").textContent = request.location_differs
    ? `This request comes from ${place(request.location)}, not where you are. ` +
      "If you didn't start this on your own TV, deny it."
    : "";
  const here = request.approver_location && request.approver_location.description;
  $("location-warning-here").textContent = request.location_differs && here ? `You are in ${here}.` : "";
  const select = $("profile");
  select.replaceChildren(h("option", { value: "" }, "Let the TV ask who's watching"),
    ...profiles.map((profile) => h("option", { value: profile.profile_id, disabled: profile.has_pin },
      profileLabel(profile))));
  $("profile-field").hidden = profiles.length === 0;
  showError($("review-error"), "");
  $("approve").disabled = false;
  $("deny").disabled = false;
  $("another-code-review").hidden = true;
  show("review-screen", "review-heading"); // the heading is read, and the warning is an alert of its own
}

const DONE_ICONS = {
  approved: [["path", "M20 6 9 17l-5-5"]],
  denied: [["path", "M18 6 6 18M6 6l12 12"]],
};

function doneScreen(outcome, deviceName) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  for (const [key, value] of Object.entries({ viewBox: "0 0 24 24", width: 40, height: 40, fill: "none",
    stroke: "currentColor", "stroke-width": 2.2, "stroke-linecap": "round", "stroke-linejoin": "round" })) {
    svg.setAttribute(key, String(value));
  }
  for (const [, d] of DONE_ICONS[outcome]) {
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  $("done-icon").replaceChildren(svg);
  $("done-screen").dataset.outcome = outcome;
  const name = deviceName || "Your TV";
  if (outcome === "approved") {
    $("done-heading").textContent = `${name} is signed in`;
    $("done-text").textContent = "Enjoy watching. It now appears in Manage access and devices, where you can " +
      "sign it out at any time.";
  } else {
    $("done-heading").textContent = "Request denied";
    $("done-text").textContent = `${name} was not signed in. If you didn't ask to sign in a TV, someone else ` +
      "may know your code: nothing was shared with them.";
  }
  app.code = "";
  app.request = null;
  $("code").value = "";
  show("done-screen", "done-heading");
}

// ---------------------------------------------------------------- the code: look it up, approve, deny
/** Looks the code up and shows the request, or the code field with what went wrong. */
async function lookUp(code) {
  app.code = code;
  if (!tokens()) { signInScreen(); return; }
  const form = $("code-form");
  busy(form, true);
  announce("Looking up the code\u2026");
  try {
    const [request, profiles] = await Promise.all([
      app.api.request("GET", codePath(code)),
      app.api.request("GET", "/v1/profiles").then((data) => data.profiles || [], () => []),
    ]);
    reviewScreen(request, profiles);
  } catch (error) {
    if (error instanceof SignedOut) return;
    codeScreen(codeMessage(error), codeKind(error));
  } finally {
    busy(form, false);
  }
}

/** Checks what the code field holds before asking the gateway: a malformed code is said at once. */
function submitTyped() {
  const typed = $("code").value;
  const wrong = problem(typed);
  if (wrong) {
    app.code = "";
    codeScreen(wrong, "invalid_user_code");
    return;
  }
  lookUp(compact(typed));
}

function onCode(event) {
  event.preventDefault();
  submitTyped();
}

async function decide(approve) {
  const form = $("review-form");
  const request = app.request;
  if (!request) return;
  const name = (request.device || {}).name;
  let finished = false; // the code can no longer be approved nor denied: only "Enter another code" is left
  busy(form, true);
  showError($("review-error"), "");
  try {
    if (approve) {
      const profileId = $("profile").value;
      const answer = await app.api.request("POST", `${codePath(app.code)}/approve`,
        profileId ? { profile_id: profileId } : {});
      doneScreen("approved", (answer && answer.device && answer.device.name) || name);
    } else {
      await app.api.request("POST", `${codePath(app.code)}/deny`, {});
      doneScreen("denied", name);
    }
  } catch (error) {
    if (error instanceof SignedOut) return;
    const box = $("review-error");
    box.dataset.kind = codeKind(error);
    showError(box, codeMessage(error));
    finished = error instanceof ApiError && Boolean(CODE_ERRORS[error.code]) && error.code !== "too_many_attempts";
  } finally {
    busy(form, false);
  }
  if (finished) {
    $("approve").disabled = true;
    $("deny").disabled = true;
    $("another-code-review").hidden = false;
    $("another-code-review").focus();
  }
}

// ---------------------------------------------------------------- sign in (as on the main page)
async function onSignIn(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const email = $("sign-in-email").value.trim();
  const password = $("sign-in-password").value;
  const errorBox = $("sign-in-error");
  if (!email || !password) {
    errorBox.dataset.kind = "missing";
    showError(errorBox, "Enter your email and password.");
    (email ? $("sign-in-password") : $("sign-in-email")).focus();
    return;
  }
  busy(form, true);
  showError(errorBox, "");
  try {
    await app.api.signIn(email, password);
    $("sign-in-password").value = "";
    if ($("code").value) submitTyped();
    else codeScreen();
  } catch (error) {
    errorBox.dataset.kind = errorKind(error);
    showError(errorBox, messageFor(error));
    $("sign-in-password").focus();
  } finally {
    busy(form, false);
  }
}

// ---------------------------------------------------------------- wiring
function start() {
  app.api = new Api({ onSessionEnded: () => signInScreen(SESSION_ENDED) });

  $("sign-in-form").addEventListener("submit", onSignIn);
  $("code-form").addEventListener("submit", onCode);
  $("code").addEventListener("input", (event) => {
    const field = event.currentTarget;
    const atEnd = field.selectionStart === field.value.length;
    if (atEnd && /^[\sA-Za-z-]*$/.test(field.value)) field.value = format(field.value);
    if ($("code-error").dataset.kind === "invalid_user_code") {
      showError($("code-error"), "");
      field.removeAttribute("aria-invalid");
    }
  });
  $("review-form").addEventListener("submit", (event) => { event.preventDefault(); decide(true); });
  $("deny").addEventListener("click", () => decide(false));
  $("another-code").addEventListener("click", () => codeScreen());
  $("another-code-review").addEventListener("click", () => {
    app.code = "";
    app.request = null;
    $("code").value = "";
    codeScreen();
  });

  // From the QR code: /tv?code=BCDFGHJK. The code leaves the address bar (and the history) at once.
  const params = new URLSearchParams(window.location.search);
  const fromLink = params.get("code");
  if (fromLink !== null) {
    window.history.replaceState(null, "", window.location.pathname);
    $("code").value = format(fromLink).slice(0, 64);
    if (!problem(fromLink)) app.code = compact(fromLink);
    if (tokens()) submitTyped();
    else signInScreen();
    return;
  }
  if (tokens()) codeScreen();
  else signInScreen();
}

start();
