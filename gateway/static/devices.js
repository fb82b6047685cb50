// The device list (#device-list) and what can be done to a device: sign out, remove, allow again,
// and the two bulk sign-outs.

import { SignedOut, messageFor, missingRoute, tokens } from "./api.js";
import { $, TYPE_NAMES, h, icon, saveFile, showError, timeElement } from "./dom.js";

const STATUS_NAMES = { active: "Signed in", signed_out: "Signed out", removed: "Removed" };
const STATUS_ORDER = { active: 0, signed_out: 1, removed: 2 };

function fact(term, value) {
  if (value === null || value === undefined || value === "") return [];
  return [h("dt", null, term), h("dd", null, value)];
}

const hiddenText = (text) => h("span", { class: "visually-hidden" }, ` ${text}`);
const devicePath = (device) => `/v1/devices/${encodeURIComponent(device.device_id)}`;
const historyPath = (device) => `${devicePath(device)}/activity?format=csv`;

export const UNUSUAL_LOCATION = "Last used in a country none of your other devices signed in from recently. " +
  "If you don't recognise this, sign it out.";
export const REMOVAL_ERASES_HISTORY = "Removing it also erases its location history: where and when it was used. " +
  "If it was lost or stolen, download that history first, or sign it out instead: signing out keeps it.";

export class DeviceList {
  #api;
  #ui;
  #session;
  #loading = null;
  #again = false;

  /**
   * api: the Api. ui: { announce(text), pageError(text), confirm(question, opener) → Promise<bool> }.
   * session: { signOutHere(), signedOut(reason), setLeaving(bool) } for the actions that end this session.
   */
  constructor(api, ui, session) {
    this.#api = api;
    this.#ui = ui;
    this.#session = session;
  }

  /** Fetches and draws the list; a call while one is running runs once more after it. */
  load() {
    if (this.#loading) { this.#again = true; return this.#loading; }
    this.#loading = (async () => {
      try {
        const data = await this.#api.request("GET", "/v1/devices?page_size=100");
        this.#render(data.devices || []);
      } catch (error) {
        if (!(error instanceof SignedOut)) this.#ui.pageError(messageFor(error));
      }
    })().finally(() => {
      this.#loading = null;
      if (this.#again) { this.#again = false; this.load(); }
    });
    return this.#loading;
  }

  #render(devices) {
    devices.sort((a, b) => (b.current - a.current) ||
      ((STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3)) ||
      String(b.last_seen_at || "").localeCompare(String(a.last_seen_at || "")));
    $("device-list").replaceChildren(...devices.map((device) => this.#item(device)));
    $("devices-empty").hidden = devices.length > 0;
    $("sign-out-others").disabled = !devices.some((d) => !d.current && d.status === "active");
  }

  #item(device) {
    const name = device.name || TYPE_NAMES[device.type] || "Device";
    const headingId = `device-${device.device_id}-name`;
    const watched = device.last_title
      ? h("span", null, device.last_title, device.last_watched_at ? " \u00b7 " : "", timeElement(device.last_watched_at))
      : "Nothing yet";
    const location = device.location && device.location.description;
    const actions = [];
    if (device.current) {
      actions.push(h("button", { type: "button", class: "button secondary small", onclick: () => this.#session.signOutHere() },
        "Sign out", hiddenText("of this browser")));
    } else if (device.status === "active") {
      actions.push(h("button", {
        type: "button", class: "button secondary small", "data-action": "sign-out",
        onclick: (e) => this.signOut(device, e.currentTarget),
      }, "Sign out", hiddenText(name)));
    }
    if (!device.current && device.status !== "removed") {
      actions.push(h("button", {
        type: "button", class: "button danger small", "data-action": "remove",
        onclick: (e) => this.remove(device, e.currentTarget),
      }, "Remove", hiddenText(name)));
    }
    if (device.status === "removed") {
      actions.push(h("button", {
        type: "button", class: "button secondary small", "data-action": "allow",
        onclick: (e) => this.allow(device, e.currentTarget),
      }, "Allow again", hiddenText(name)));
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
        device.current ? h("span", { class: "badge current-marker" }, "This device") : null,
        device.unusual_location ? h("span", { class: "badge unusual-marker" }, "Unusual location") : null),
      h("p", { class: `state ${device.status}` }, STATUS_NAMES[device.status] || device.status),
      device.unusual_location ? h("p", { class: "unusual-note" }, UNUSUAL_LOCATION) : null,
      h("dl", { class: "facts" },
        fact("Last profile", device.last_profile_name || "None yet"),
        fact("Last watched", watched),
        fact("Location", location || "Unknown"),
        fact("Last used", timeElement(device.last_seen_at)))),
    actions.length ? h("div", { class: "device-actions" }, actions) : null);
  }

  /** Runs one action with its button disabled, says `done`, then redraws the list. */
  async #act(button, work, done) {
    if (button) button.disabled = true;
    this.#ui.pageError("");
    try {
      await work();
      if (done) this.#ui.announce(done);
    } catch (error) {
      if (error instanceof SignedOut) return;
      this.#ui.pageError(missingRoute(error) ? "This action is not available yet." : messageFor(error));
    } finally {
      if (button && button.isConnected) button.disabled = false;
    }
    if (tokens()) await this.load();
  }

  signOut(device, button) {
    return this.#act(button, () => this.#api.request("POST", `${devicePath(device)}/sign-out`, {}),
      `${device.name} was signed out.`);
  }

  async remove(device, button) {
    const ok = await this.#ui.confirm({
      title: `Remove ${device.name}?`,
      message: "It will be signed out right away and will not be able to sign in again until " +
        "you allow it again from this page. " + REMOVAL_ERASES_HISTORY,
      confirm: "Remove device",
      extra: this.#historyLink(device),
    }, button);
    if (!ok) return;
    await this.#act(button, () => this.#api.request("DELETE", devicePath(device)),
      `${device.name} was removed. It can't sign in until you allow it again.`);
  }

  /** A link that downloads the device's location history (CSV), and where a failure is said. */
  #historyLink(device) {
    const problem = h("p", { class: "form-error", role: "alert", hidden: true });
    const link = h("a", {
      href: historyPath(device), class: "history-link", "data-action": "download-history",
      onclick: (event) => {
        event.preventDefault();
        this.downloadHistory(device, problem);
      },
    }, "Download its location history (CSV)");
    return [h("p", null, link), problem];
  }

  /** Saves the device's whole location and activity history as a CSV file. */
  async downloadHistory(device, problem) {
    showError(problem, "");
    try {
      const { blob, filename } = await this.#api.download(historyPath(device));
      saveFile(blob, filename);
    } catch (error) {
      if (!(error instanceof SignedOut)) showError(problem, messageFor(error));
    }
  }

  allow(device, button) {
    return this.#act(button, () => this.#api.request("POST", `${devicePath(device)}/allow`, {}),
      `${device.name} can sign in again.`);
  }

  /** "Sign out of all devices" (includeCurrent) or "of all other devices". */
  async signOutAll(includeCurrent, button) {
    const ok = await this.#ui.confirm(includeCurrent ? {
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
    // This session ends too: say why, whichever arrives first (the answer or the revoked event).
    if (includeCurrent) this.#session.setLeaving(true);
    await this.#act(button, async () => {
      try {
        await this.#api.request("POST", "/v1/sign-out-all", { include_current: includeCurrent }, { retry: !includeCurrent });
      } finally {
        this.#session.setLeaving(false);
      }
      if (includeCurrent) this.#session.signedOut("sign_out_all");
    }, includeCurrent ? "" : "All other devices were signed out.");
  }
}
