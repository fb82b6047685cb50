// Manage access and devices: the browser side of remote-signout.
// Native ES modules, no build step, nothing fetched from anywhere but this gateway.
// This module wires the parts together; everything the page keeps lives in `app`.

import { Api, SignedOut, clearTokens, errorKind, messageFor, savedEmail, tokens } from "./api.js";
import { DeviceList } from "./devices.js";
import { $, ConfirmDialog, PasswordDialog, StatusLine, busy, showError } from "./dom.js";
import { LiveEvents } from "./events.js";
import { Activity, Parental } from "./parental.js";

const REASONS = {
  remote_sign_out: "Someone signed this device out from another device.",
  sign_out_all: "Someone chose \u201cSign out of all devices\u201d for this account.",
  password_changed: "The account password was changed.",
  device_removed: "This device was removed from the account. It can sign in again only after " +
    "the account owner allows it again.",
  token_reuse: "A sign-in token of this device was used twice, which can mean it was copied, " +
    "so this device was signed out to keep the account safe.",
  account_closed: "The account was closed.",
  sign_out: "You signed out of this device.",
};
const SESSION_ENDED = "Your sign-in on this device has ended. Sign in again to continue.";
const SCREENS = ["sign-in-screen", "create-screen", "signed-out-screen", "account-screen"];

/** The whole state of the page, and the parts that keep their own. */
const app = {
  screen: null,
  leaving: false, // this page is signing itself out: the revoked event and a 401 say nothing new
  status: new StatusLine($("status")),
  dialog: new ConfirmDialog($("confirm")),
  reauth: new PasswordDialog($("reauth"), { message: messageFor, stop: (error) => error instanceof SignedOut }),
  api: null,
  events: null,
  devices: null,
  parental: null,
  activity: null,
};

const pageError = (text) => showError($("page-error"), text);
const announce = (text) => app.status.announce(text);

// ---------------------------------------------------------------- screens
function show(screen, focusId) {
  app.screen = screen;
  app.status.clear();
  for (const id of SCREENS) $(id).hidden = id !== screen;
  $("who").hidden = screen !== "account-screen";
  document.body.dataset.screen = screen;
  const target = focusId ? $(focusId) : null;
  if (target) target.focus();
}

function signInScreen(message) {
  app.events.stop();
  showError($("sign-in-error"), "");
  const email = savedEmail();
  if (email && !$("sign-in-email").value) $("sign-in-email").value = email;
  $("sign-in-password").value = "";
  show("sign-in-screen", "sign-in-heading");
  if (message) announce(message);
}

function signedOutScreen(reason) {
  clearTokens();
  app.events.stop();
  app.dialog.close();
  app.reauth.close();
  $("signed-out-reason").textContent = (reason && REASONS[reason]) || SESSION_ENDED;
  $("signed-out-screen").dataset.reason = reason || "";
  show("signed-out-screen", "signed-out-heading");
  announce("You were signed out of this device.");
}

function accountScreen() {
  $("who-email").textContent = savedEmail();
  pageError("");
  show("account-screen", "account-heading");
  app.events.open();
  app.devices.load();
  app.parental.load().then(() => app.activity.load(true));
}

function live(state, text) {
  $("live").dataset.state = state;
  $("live-text").textContent = text;
}

// ---------------------------------------------------------------- sign in, create account, sign out
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
  app.status.clear();
  try {
    await app.api.signIn(email, password);
    $("sign-in-password").value = "";
    accountScreen();
    announce("You're signed in.");
  } catch (error) {
    errorBox.dataset.kind = errorKind(error);
    showError(errorBox, messageFor(error));
    $("sign-in-password").focus();
  } finally {
    busy(form, false);
  }
}

async function onCreate(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const email = $("create-email").value.trim();
  const password = $("create-password").value;
  const errorBox = $("create-error");
  if (!email || !password) {
    showError(errorBox, "Enter an email and a password.");
    return;
  }
  busy(form, true);
  showError(errorBox, "");
  try {
    await app.api.request("POST", "/v1/accounts", { email, password }, { auth: false });
    await app.api.signIn(email, password);
    $("create-password").value = "";
    accountScreen();
    announce("Your account is ready and you're signed in.");
  } catch (error) {
    errorBox.dataset.kind = errorKind(error);
    showError(errorBox, messageFor(error));
  } finally {
    busy(form, false);
  }
}

async function onSignOutHere() {
  const current = tokens();
  app.leaving = true;
  app.events.stop();
  try {
    if (current) await app.api.request("POST", "/v1/sign-out", {}, { retry: false });
  } catch { /* signed out either way */ }
  clearTokens();
  app.leaving = false;
  signInScreen("You signed out of this browser.");
}

// ---------------------------------------------------------------- wiring
function start() {
  app.api = new Api({
    onSessionEnded: () => signedOutScreen(null),
    reauthenticate: () => app.reauth.ask((password) => app.api.confirmPassword(password)),
  });
  app.devices = new DeviceList(app.api, {
    announce, pageError, confirm: (question, opener) => app.dialog.ask(question, opener),
  }, {
    signOutHere: onSignOutHere,
    signedOut: signedOutScreen,
    setLeaving: (on) => { app.leaving = on; },
  });
  app.parental = new Parental(app.api, { announce, pageError });
  app.activity = new Activity(app.api, { pageError });
  app.events = new LiveEvents(app.api, {
    status: live,
    revoked: (reason) => signedOutScreen(reason),
    devices: () => app.devices.load(),
    resync: () => {
      app.devices.load();
      app.activity.load(true);
    },
    playbackStopped: (message) => {
      if (message) announce(message);
      app.devices.load();
    },
    sessionEnded: () => signedOutScreen(null),
    leaving: () => app.leaving,
  });

  $("sign-in-form").addEventListener("submit", onSignIn);
  $("create-form").addEventListener("submit", onCreate);
  $("show-create").addEventListener("click", () => {
    $("create-email").value = $("sign-in-email").value;
    showError($("create-error"), "");
    show("create-screen", "create-heading");
  });
  $("show-sign-in").addEventListener("click", () => signInScreen());
  $("sign-in-again").addEventListener("click", () => signInScreen());
  $("sign-out-here").addEventListener("click", onSignOutHere);
  $("sign-out-others").addEventListener("click", (e) => app.devices.signOutAll(false, e.currentTarget));
  $("sign-out-all").addEventListener("click", (e) => app.devices.signOutAll(true, e.currentTarget));
  $("activity-more").addEventListener("click", () => app.activity.load(false));
  $("activity-profile").addEventListener("change", () => app.activity.load(true));

  if (tokens()) accountScreen();
  else signInScreen();
}

start();
