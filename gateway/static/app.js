// Manage access and devices: the browser side of remote-signout.
// Plain JavaScript, no build step, nothing fetched from anywhere but this gateway.
"use strict";

(() => {
  // ---------------------------------------------------------------- words
  const MESSAGES = {
    invalid_credentials: "The email or password is incorrect.",
    device_banned: "This device was removed from the account, so it can't sign in. " +
      "The account owner can allow it again from Manage access and devices on another device.",
    throttled: "Too many attempts. Wait a moment and try again.",
    server: "Something went wrong on our side; try again.",
  };
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
  const TYPE_NAMES = {
    tv: "TV", phone: "Phone", tablet: "Tablet", computer: "Computer", browser: "Web browser",
    console: "Game console", streaming_player: "Streaming player",
  };
  const STATUS_NAMES = { active: "Signed in", signed_out: "Signed out", removed: "Removed" };
  const MATURITY_NAMES = {
    all: "All ages", "7+": "7+", "13+": "13+", "16+": "16+", "18+": "18+ (everything)",
  };
  const KIND_NAMES = { owner: "Owner", standard: "Standard", kids: "Kids" };

  // Inline 24x24 stroke icons, one per device type.
  const ICON_PATHS = {
    tv: '<rect x="2" y="4" width="20" height="13" rx="2"/><path d="M8 21h8M12 17v4"/>',
    phone: '<rect x="7" y="2" width="10" height="20" rx="2"/><path d="M11 18h2"/>',
    tablet: '<rect x="4" y="2" width="16" height="20" rx="2"/><path d="M11 18h2"/>',
    computer: '<rect x="4" y="5" width="16" height="11" rx="1.5"/><path d="M2 19h20"/>',
    browser: '<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M3 9h18"/>' +
      '<path d="M6 6.5h.01M8.5 6.5h.01"/>',
    console: '<path d="M7 8h10a4 4 0 0 1 4 4v1a3 3 0 0 1-5.4 1.8L14.5 13h-5l-1.1 1.8A3 3 0 0 1 3 13v-1a4 4 0 0 1 4-4z"/>' +
      '<path d="M7.5 10.5v3M6 12h3M16 11h.01M17.5 12.5h.01"/>',
    streaming_player: '<rect x="2" y="10" width="13" height="7" rx="1.5"/><rect x="17.5" y="5" width="4" height="14" rx="1.5"/>' +
      '<path d="M19.5 8h.01M5 13.5h4"/>',
  };
  const SVG_NS = "http://www.w3.org/2000/svg";

  function icon(type, size) {
    const kind = ICON_PATHS[type] ? type : "computer";
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size || 24));
    svg.setAttribute("height", String(size || 24));
    svg.setAttribute("fill", "none");
    svg.setAttribute("stroke", "currentColor");
    svg.setAttribute("stroke-width", "1.8");
    svg.setAttribute("stroke-linecap", "round");
    svg.setAttribute("stroke-linejoin", "round");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", TYPE_NAMES[type] || "Device");
    svg.setAttribute("focusable", "false");
    svg.innerHTML = "<title>" + (TYPE_NAMES[type] || "Device") + "</title>" + ICON_PATHS[kind];
    return svg;
  }

  // ---------------------------------------------------------------- small DOM kit
  const $ = (id) => document.getElementById(id);

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  let announceTimer = null;

  function announce(text) {
    const status = $("status");
    status.textContent = "";
    clearTimeout(announceTimer);
    // A fresh text node after a tick makes screen readers announce repeats too.
    announceTimer = setTimeout(() => { status.textContent = text; }, 30);
  }

  function showError(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  // ---------------------------------------------------------------- time
  const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
    ["hour", 3600], ["minute", 60], ["second", 1]];

  function timeElement(iso) {
    if (!iso) return null;
    const moment = new Date(iso);
    if (Number.isNaN(moment.getTime())) return null;
    const seconds = (moment.getTime() - Date.now()) / 1000;
    let text = "just now";
    if (Math.abs(seconds) >= 45) {
      for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size || unit === "second") {
          text = relativeFormat.format(Math.round(seconds / size), unit);
          break;
        }
      }
    }
    const local = moment.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    return h("time", { datetime: iso, title: local }, `${text} (${local})`);
  }

  // ---------------------------------------------------------------- this browser as a device
  function clientId() {
    let id = localStorage.getItem("remotesignout.client_id");
    if (!id) {
      id = (crypto.randomUUID ? crypto.randomUUID()
        : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""));
      localStorage.setItem("remotesignout.client_id", id);
    }
    return id;
  }

  function deviceName() {
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

  // ---------------------------------------------------------------- tokens
  const TOKENS = "remotesignout.tokens";
  const EMAIL = "remotesignout.email";

  function tokens() {
    try { return JSON.parse(sessionStorage.getItem(TOKENS) || "null"); } catch { return null; }
  }
  function saveTokens(pair) {
    sessionStorage.setItem(TOKENS, JSON.stringify({
      access_token: pair.access_token, refresh_token: pair.refresh_token,
      session_id: pair.session_id, device_id: pair.device_id,
    }));
  }
  function clearTokens() { sessionStorage.removeItem(TOKENS); }

  // ---------------------------------------------------------------- HTTP
  class ApiError extends Error {
    constructor(status, code, message) {
      super(message || code);
      this.status = status;
      this.code = code;
    }
  }
  class SignedOut extends Error {}

  let refreshing = null;

  // One refresh at a time: a refresh token is rotated on use, so a second concurrent
  // refresh with the same token would look like token reuse and end the session.
  function refreshOnce() {
    if (!refreshing) {
      refreshing = (async () => {
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
      })().finally(() => { setTimeout(() => { refreshing = null; }, 0); });
    }
    return refreshing;
  }

  async function api(method, path, body, options) {
    const opts = Object.assign({ auth: true, retry: true }, options || {});
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
    if (response.status === 401 && opts.auth) {
      if (opts.retry && await refreshOnce()) return api(method, path, body, Object.assign({}, opts, { retry: false }));
      signedOutScreen(null);
      throw new SignedOut();
    }
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    if (!response.ok) {
      const error = data && data.error ? data.error : {};
      throw new ApiError(response.status, error.code || `http_${response.status}`, error.message || "");
    }
    return data;
  }

  function messageFor(error) {
    if (error instanceof ApiError) {
      if (error.code === "invalid_credentials") return MESSAGES.invalid_credentials;
      if (error.code === "device_banned") return MESSAGES.device_banned;
      if (error.status === 429 || error.code === "sign_in_throttled") return MESSAGES.throttled;
      if (error.status === 0 || error.status >= 500) return MESSAGES.server;
      if (error.message && error.message !== error.code) return error.message;
    }
    return MESSAGES.server;
  }

  function errorKind(error) {
    if (!(error instanceof ApiError)) return "server";
    if (error.code === "invalid_credentials" || error.code === "device_banned") return error.code;
    if (error.status === 429 || error.code === "sign_in_throttled") return "throttled";
    if (error.status === 0 || error.status >= 500) return "server";
    return error.code;
  }

  // A route the gateway does not have (yet): the control that needs it is hidden.
  function missingRoute(error) {
    return error instanceof ApiError && (error.status === 405 || error.status === 501 ||
      (error.status === 404 && /nothing at this address/i.test(error.message)));
  }

  // ---------------------------------------------------------------- screens
  const SCREENS = ["sign-in-screen", "create-screen", "signed-out-screen", "account-screen"];

  function show(screen, focusId) {
    clearTimeout(announceTimer);
    $("status").textContent = "";
    for (const id of SCREENS) $(id).hidden = id !== screen;
    $("who").hidden = screen !== "account-screen";
    document.body.dataset.screen = screen;
    const target = focusId ? $(focusId) : null;
    if (target) target.focus();
  }

  function signInScreen(message) {
    stopEvents();
    showError($("sign-in-error"), "");
    const email = sessionStorage.getItem(EMAIL);
    if (email && !$("sign-in-email").value) $("sign-in-email").value = email;
    $("sign-in-password").value = "";
    show("sign-in-screen", "sign-in-heading");
    if (message) announce(message);
  }

  function signedOutScreen(reason) {
    clearTokens();
    stopEvents();
    closeDialog();
    $("signed-out-reason").textContent = (reason && REASONS[reason]) || SESSION_ENDED;
    $("signed-out-screen").dataset.reason = reason || "";
    show("signed-out-screen", "signed-out-heading");
    announce("You were signed out of this device.");
  }

  function accountScreen() {
    $("who-email").textContent = sessionStorage.getItem(EMAIL) || "";
    showError($("page-error"), "");
    show("account-screen", "account-heading");
    openEvents();
    loadDevices();
    loadParental().then(() => loadActivity(true));
  }

  // ---------------------------------------------------------------- sign in, create account
  async function signIn(email, password) {
    const pair = await api("POST", "/v1/sign-in", {
      email, password, device: { client_id: clientId(), name: deviceName(), type: "browser" },
    }, { auth: false });
    sessionStorage.setItem(EMAIL, email);
    saveTokens(pair);
  }

  function busy(form, on) {
    for (const button of form.querySelectorAll("button")) button.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

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
    $("status").textContent = "";
    try {
      await signIn(email, password);
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
      await api("POST", "/v1/accounts", { email, password }, { auth: false });
      await signIn(email, password);
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
    leaving = true;
    stopEvents();
    try {
      if (current) await api("POST", "/v1/sign-out", {}, { retry: false });
    } catch { /* signed out either way */ }
    clearTokens();
    leaving = false;
    signInScreen("You signed out of this browser.");
  }

  // ---------------------------------------------------------------- devices
  let devicesLoading = null;
  let devicesAgain = false;

  function loadDevices() {
    if (devicesLoading) { devicesAgain = true; return devicesLoading; }
    devicesLoading = (async () => {
      try {
        const data = await api("GET", "/v1/devices?page_size=100");
        renderDevices(data.devices || []);
      } catch (error) {
        if (!(error instanceof SignedOut)) pageError(messageFor(error));
      }
    })().finally(() => {
      devicesLoading = null;
      if (devicesAgain) { devicesAgain = false; loadDevices(); }
    });
    return devicesLoading;
  }

  function pageError(text) { showError($("page-error"), text); }

  function fact(term, value) {
    if (value === null || value === undefined || value === "") return [];
    return [h("dt", null, term), h("dd", null, value)];
  }

  function renderDevices(devices) {
    const list = $("device-list");
    const order = { active: 0, signed_out: 1, removed: 2 };
    devices.sort((a, b) => (b.current - a.current) || ((order[a.status] ?? 3) - (order[b.status] ?? 3)) ||
      String(b.last_seen_at || "").localeCompare(String(a.last_seen_at || "")));
    list.replaceChildren(...devices.map(deviceItem));
    $("devices-empty").hidden = devices.length > 0;
    const others = devices.some((d) => !d.current && d.status === "active");
    $("sign-out-others").disabled = !others;
  }

  function deviceItem(device) {
    const name = device.name || TYPE_NAMES[device.type] || "Device";
    const headingId = `device-${device.device_id}-name`;
    const watched = device.last_title
      ? h("span", null, device.last_title, device.last_watched_at ? " \u00b7 " : "", timeElement(device.last_watched_at))
      : "Nothing yet";
    const location = device.location && device.location.description;
    const actions = [];
    const hidden = (text) => h("span", { class: "visually-hidden" }, ` ${text}`);
    if (device.current) {
      actions.push(h("button", { type: "button", class: "button secondary small", onclick: onSignOutHere },
        "Sign out", hidden("of this browser")));
    } else if (device.status === "active") {
      actions.push(h("button", {
        type: "button", class: "button secondary small", "data-action": "sign-out",
        onclick: (e) => signOutDevice(device, e.currentTarget),
      }, "Sign out", hidden(name)));
    }
    if (!device.current && device.status !== "removed") {
      actions.push(h("button", {
        type: "button", class: "button danger small", "data-action": "remove",
        onclick: (e) => removeDevice(device, e.currentTarget),
      }, "Remove", hidden(name)));
    }
    if (device.status === "removed") {
      actions.push(h("button", {
        type: "button", class: "button secondary small", "data-action": "allow",
        onclick: (e) => allowDevice(device, e.currentTarget),
      }, "Allow again", hidden(name)));
    }
    return h("li", {
      class: `device ${device.status}${device.current ? " current" : ""}`,
      dataset: { deviceId: device.device_id, status: device.status, current: device.current ? "true" : "false" },
      "aria-labelledby": headingId,
    },
    h("div", { class: "device-icon" }, icon(device.type, 26)),
    h("div", { class: "device-body" },
      h("div", { class: "device-title" },
        h("h3", { id: headingId }, name),
        device.current ? h("span", { class: "badge current-marker" }, "This device") : null),
      h("p", { class: `state ${device.status}`, style: "margin:0" }, STATUS_NAMES[device.status] || device.status),
      h("dl", { class: "facts" },
        fact("Last profile", device.last_profile_name || "None yet"),
        fact("Last watched", watched),
        fact("Location", location || "Unknown"),
        fact("Last used", timeElement(device.last_seen_at)))),
    actions.length ? h("div", { class: "device-actions" }, actions) : null);
  }

  async function act(button, work, done) {
    if (button) button.disabled = true;
    pageError("");
    try {
      await work();
      if (done) announce(done);
    } catch (error) {
      if (error instanceof SignedOut) return;
      pageError(missingRoute(error) ? "This action is not available yet." : messageFor(error));
    } finally {
      if (button && button.isConnected) button.disabled = false;
    }
    if (tokens()) await loadDevices();
  }

  function signOutDevice(device, button) {
    return act(button, () => api("POST", `/v1/devices/${encodeURIComponent(device.device_id)}/sign-out`, {}),
      `${device.name} was signed out.`);
  }

  async function removeDevice(device, button) {
    const ok = await confirmDialog({
      title: `Remove ${device.name}?`,
      message: "It will be signed out right away and will not be able to sign in again until " +
        "you allow it again from this page.",
      confirm: "Remove device",
    }, button);
    if (!ok) return;
    await act(button, () => api("DELETE", `/v1/devices/${encodeURIComponent(device.device_id)}`),
      `${device.name} was removed. It can't sign in until you allow it again.`);
  }

  function allowDevice(device, button) {
    return act(button, () => api("POST", `/v1/devices/${encodeURIComponent(device.device_id)}/allow`, {}),
      `${device.name} can sign in again.`);
  }

  async function signOutAll(includeCurrent, button) {
    const ok = await confirmDialog(includeCurrent ? {
      title: "Sign out of all devices?",
      message: "Every device on this account, including this one, will be signed out right away. " +
        "Each will need the password to sign in again.",
      confirm: "Sign out of all devices",
    } : {
      title: "Sign out of all other devices?",
      message: "Every device except this one will be signed out right away. " +
        "Each will need the password to sign in again.",
      confirm: "Sign out of other devices",
    }, button);
    if (!ok) return;
    if (includeCurrent) leaving = true; // this session ends too: say why, whichever arrives first
    await act(button, async () => {
      try {
        await api("POST", "/v1/sign-out-all", { include_current: includeCurrent }, { retry: !includeCurrent });
      } finally {
        leaving = false;
      }
      if (includeCurrent) signedOutScreen("sign_out_all");
    }, includeCurrent ? "" : "All other devices were signed out.");
  }

  // ---------------------------------------------------------------- confirmation dialog
  let dialogResolve = null;

  function confirmDialog({ title, message, confirm }, opener) {
    const dialog = $("confirm");
    $("confirm-title").textContent = title;
    $("confirm-message").textContent = message;
    $("confirm-ok").textContent = confirm;
    dialog.returnValue = "";
    return new Promise((resolve) => {
      dialogResolve = (value) => {
        dialogResolve = null;
        if (opener && opener.isConnected) opener.focus();
        resolve(value === "confirm");
      };
      dialog.showModal();
      $("confirm-cancel").focus();
    });
  }

  function closeDialog() {
    const dialog = $("confirm");
    if (dialog.open) dialog.close("cancel");
  }

  // ---------------------------------------------------------------- viewing activity
  let activityToken = "";

  async function loadActivity(first) {
    const section = $("activity");
    const more = $("activity-more");
    if (first) { activityToken = ""; $("activity-list").replaceChildren(); }
    const query = new URLSearchParams({ page_size: "20" });
    const profile = $("activity-profile").value;
    if (profile) query.set("profile_name", profile); // viewing activity is per profile
    if (activityToken) query.set("page_token", activityToken);
    more.disabled = true;
    try {
      const data = await api("GET", `/v1/activity?${query}`);
      const items = data.activities || [];
      $("activity-list").append(...items.map(activityItem));
      activityToken = data.next_page_token || "";
      more.hidden = !activityToken;
      $("activity-empty").hidden = $("activity-list").children.length > 0;
      section.hidden = false;
    } catch (error) {
      if (error instanceof SignedOut) return;
      if (first) section.hidden = true;
      else pageError(messageFor(error));
    } finally {
      more.disabled = false;
    }
  }

  function activityItem(entry) {
    const where = entry.location && entry.location.description;
    return h("li", { dataset: { deviceId: entry.device_id || "" } },
      h("div", { class: "device-icon" }, icon(entry.device_type, 18)),
      h("span", { class: "title" }, entry.title || "Untitled"),
      h("span", { class: "meta" },
        [entry.profile_name, entry.device_name, where].filter(Boolean).join(" \u00b7 "),
        entry.watched_at ? " \u00b7 " : "", timeElement(entry.watched_at)));
  }

  // ---------------------------------------------------------------- parental controls
  let titles = null;

  function fillActivityProfiles(profiles) {
    const select = $("activity-profile");
    const chosen = select.value;
    select.replaceChildren(...profiles.map((p) => h("option", { value: p.name, selected: p.name === chosen }, p.name)));
    $("activity-profile-field").hidden = profiles.length === 0;
  }

  async function loadParental() {
    const section = $("parental");
    let data;
    try {
      data = await api("GET", "/v1/profiles");
    } catch {
      section.hidden = true; // kids-scoped sessions get 403; the section is the owner's
      return;
    }
    fillActivityProfiles(data.profiles || []);
    if (titles === null) {
      try {
        titles = (await api("GET", "/v1/titles?page_size=100")).titles || [];
      } catch {
        titles = [];
      }
    }
    const profiles = data.profiles || [];
    $("profile-list").replaceChildren(...profiles.map(profileItem));
    $("profiles-empty").hidden = profiles.length > 0;
    section.hidden = false;
  }

  function password() {
    const value = $("parental-password").value;
    if (!value) {
      pageError("Enter your account password to change parental controls.");
      $("parental-password").focus();
    }
    return value;
  }

  function profileItem(profile, index) {
    const base = `profile-${index}`;
    const path = `/v1/profiles/${encodeURIComponent(profile.profile_id)}`;
    const pinText = profile.has_pin === undefined ? "" : (profile.has_pin ? "PIN set" : "No PIN");

    async function submit(event, call, done) {
      event.preventDefault();
      const form = event.currentTarget;
      const secret = password();
      if (!secret) return;
      busy(form, true);
      pageError("");
      try {
        await call(secret);
        announce(done);
        loadParental();
      } catch (error) {
        if (error instanceof SignedOut) return;
        if (missingRoute(error)) {
          form.hidden = true;
          announce("That control is not available yet.");
        } else {
          pageError(messageFor(error));
        }
      } finally {
        busy(form, false);
      }
    }

    const maturity = h("form", {
      class: "maturity-form",
      onsubmit: (e) => submit(e, (secret) => api("PUT", `${path}/maturity`,
        { maturity_level: $(`${base}-maturity`).value, password: secret }),
      `${profile.name} can now watch titles rated ${MATURITY_NAMES[$(`${base}-maturity`).value]}.`),
    },
    h("div", { class: "field" },
      h("label", { for: `${base}-maturity` }, "Maturity level"),
      h("select", { id: `${base}-maturity` },
        Object.entries(MATURITY_NAMES).map(([value, label]) =>
          h("option", { value, selected: value === profile.maturity_level }, label)))),
    h("button", { type: "submit", class: "button secondary" }, "Save", h("span", { class: "visually-hidden" }, ` maturity level for ${profile.name}`)));

    const pin = h("form", {
      class: "pin-form",
      onsubmit: (e) => submit(e, (secret) => {
        const value = $(`${base}-pin`).value.trim();
        if (!/^\d{4}$/.test(value)) throw new ApiError(422, "invalid_pin", "A PIN is exactly 4 digits.");
        return api("PUT", `${path}/pin`, { pin: value, password: secret });
      }, `${profile.name} is now locked with a PIN.`),
    },
    h("div", { class: "field" },
      h("label", { for: `${base}-pin` }, "Profile lock PIN (4 digits)"),
      h("input", { id: `${base}-pin`, type: "password", inputmode: "numeric", autocomplete: "off", maxlength: "4", pattern: "[0-9]{4}" })),
    h("button", { type: "submit", class: "button secondary" }, "Set PIN", h("span", { class: "visually-hidden" }, ` for ${profile.name}`)),
    profile.has_pin === false ? null : h("button", {
      type: "button", class: "button danger",
      onclick: (e) => {
        const form = e.currentTarget.form;
        submit({ preventDefault() {}, currentTarget: form },
          (secret) => api("DELETE", `${path}/pin`, { password: secret }), `The PIN of ${profile.name} was removed.`);
      },
    }, "Remove PIN", h("span", { class: "visually-hidden" }, ` of ${profile.name}`)));

    const block = titles && titles.length ? h("form", {
      class: "block-form",
      onsubmit: (e) => submit(e, (secret) => api("POST", `${path}/blocked-titles`,
        { title_id: $(`${base}-title`).value, password: secret }),
      `That title is now blocked for ${profile.name}.`),
    },
    h("div", { class: "field" },
      h("label", { for: `${base}-title` }, "Block a title"),
      h("select", { id: `${base}-title` },
        titles.map((t) => h("option", { value: t.title_id },
          `${t.name} (${t.maturity_level || t.maturity_rating || "unrated"})`)))),
    h("button", { type: "submit", class: "button secondary" }, "Block", h("span", { class: "visually-hidden" }, ` title for ${profile.name}`))) : null;

    return h("li", { class: "profile", dataset: { profileId: profile.profile_id } },
      h("div", { class: "profile-head" },
        h("h3", null, profile.name),
        h("span", { class: "badge" }, KIND_NAMES[profile.kind] || profile.kind),
        pinText ? h("span", { class: "muted" }, pinText) : null),
      maturity, pin, block);
  }

  // ---------------------------------------------------------------- live events
  // fetch() + a stream reader, because EventSource cannot send the Authorization header.
  let stream = null;
  let reconnectTimer = null;
  let backoff = 500;
  let leaving = false;

  function live(state, text) {
    $("live").dataset.state = state;
    $("live-text").textContent = text;
  }

  function stopEvents() {
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
    if (stream) { const old = stream; stream = null; old.abort(); }
  }

  function scheduleReconnect() {
    if (!tokens() || leaving) return;
    live("offline", "Live updates paused; reconnecting…");
    const wait = backoff + Math.random() * backoff / 2;
    backoff = Math.min(backoff * 2, 30000);
    reconnectTimer = setTimeout(() => { reconnectTimer = null; openEvents(); }, wait);
  }

  async function openEvents() {
    stopEvents();
    const current = tokens();
    if (!current) return;
    const controller = new AbortController();
    stream = controller;
    let response;
    try {
      response = await fetch("/v1/events", {
        headers: { Authorization: `Bearer ${current.access_token}`, Accept: "text/event-stream" },
        signal: controller.signal, cache: "no-store",
      });
    } catch {
      if (stream === controller) { stream = null; scheduleReconnect(); }
      return;
    }
    if (stream !== controller) return;
    if (response.status === 401) {
      stream = null;
      if (await refreshOnce()) openEvents();
      else if (!leaving) signedOutScreen(null);
      return;
    }
    if (!response.ok || !response.body) {
      stream = null;
      scheduleReconnect();
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (stream !== controller) return;
          onFrame(frame);
        }
      }
    } catch { /* dropped or aborted */ }
    if (stream === controller) {
      stream = null;
      scheduleReconnect();
    }
  }

  function onFrame(frame) {
    let name = "message";
    const data = [];
    for (const line of frame.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    }
    let payload = null;
    try { payload = data.length ? JSON.parse(data.join("\n")) : null; } catch { payload = null; }
    if (name === "ready") {
      backoff = 500;
      live("live", "Live: changes show up here at once");
    } else if (name === "revoked") {
      if (leaving) return;
      signedOutScreen(payload && payload.reason);
    } else if (name === "devices") {
      loadDevices();
    } else if (name === "playback_stopped") {
      if (payload && payload.message) announce(payload.message);
      loadDevices();
    }
  }

  // ---------------------------------------------------------------- start
  function start() {
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
    $("sign-out-others").addEventListener("click", (e) => signOutAll(false, e.currentTarget));
    $("sign-out-all").addEventListener("click", (e) => signOutAll(true, e.currentTarget));
    $("activity-more").addEventListener("click", () => loadActivity(false));
    $("activity-profile").addEventListener("change", () => loadActivity(true));
    $("confirm").addEventListener("close", () => {
      if (dialogResolve) dialogResolve($("confirm").returnValue);
    });
    if (tokens()) accountScreen();
    else signInScreen();
  }

  start();
})();
