// Parental controls (#parental): each profile's maturity level, PIN and title blocks; and the
// viewing activity (#activity), which is per profile.

import { ApiError, SignedOut, messageFor, missingRoute } from "./api.js";
import { $, busy, h, icon, timeElement } from "./dom.js";

const MATURITY_NAMES = {
  all: "All ages", "7+": "7+", "13+": "13+", "16+": "16+", "18+": "18+ (everything)",
};
const KIND_NAMES = { owner: "Owner", standard: "Standard", kids: "Kids" };

const hiddenText = (text) => h("span", { class: "visually-hidden" }, text);

export class Parental {
  #api;
  #ui;
  #titles = null; // the catalogue, fetched once

  /** api: the Api. ui: { announce(text), pageError(text) }. */
  constructor(api, ui) {
    this.#api = api;
    this.#ui = ui;
  }

  /** Fetches profiles (and the catalogue once) and draws them; hides the section if not allowed. */
  async load() {
    const section = $("parental");
    let data;
    try {
      data = await this.#api.request("GET", "/v1/profiles");
    } catch {
      section.hidden = true; // kids-scoped sessions get 403; the section is the owner's
      return;
    }
    const profiles = data.profiles || [];
    fillActivityProfiles(profiles);
    if (this.#titles === null) {
      try {
        this.#titles = (await this.#api.request("GET", "/v1/titles?page_size=100")).titles || [];
      } catch {
        this.#titles = [];
      }
    }
    $("profile-list").replaceChildren(...profiles.map((profile, index) => this.#item(profile, index)));
    $("profiles-empty").hidden = profiles.length > 0;
    section.hidden = false;
  }

  /** The account password typed above the profiles, or "" after asking for it. */
  #password() {
    const value = $("parental-password").value;
    if (!value) {
      this.#ui.pageError("Enter your account password to change parental controls.");
      $("parental-password").focus();
    }
    return value;
  }

  /** Sends one change from `form`: call(password) does it, `done` is said after, then a redraw. */
  async #submit(form, call, done) {
    const secret = this.#password();
    if (!secret) return;
    busy(form, true);
    this.#ui.pageError("");
    try {
      await call(secret);
      this.#ui.announce(done);
      this.load();
    } catch (error) {
      if (error instanceof SignedOut) return;
      if (missingRoute(error)) {
        form.hidden = true;
        this.#ui.announce("That control is not available yet.");
      } else {
        this.#ui.pageError(messageFor(error));
      }
    } finally {
      busy(form, false);
    }
  }

  #item(profile, index) {
    const api = this.#api;
    const base = `profile-${index}`;
    const path = `/v1/profiles/${encodeURIComponent(profile.profile_id)}`;
    const pinText = profile.has_pin === undefined ? "" : (profile.has_pin ? "PIN set" : "No PIN");
    const onSubmit = (call, done) => (event) => {
      event.preventDefault();
      this.#submit(event.currentTarget, call, typeof done === "function" ? done() : done);
    };

    const maturity = h("form", {
      class: "maturity-form",
      onsubmit: onSubmit(
        (secret) => api.request("PUT", `${path}/maturity`, { maturity_level: $(`${base}-maturity`).value, password: secret }),
        () => `${profile.name} can now watch titles rated ${MATURITY_NAMES[$(`${base}-maturity`).value]}.`),
    },
    h("div", { class: "field" },
      h("label", { for: `${base}-maturity` }, "Maturity level"),
      h("select", { id: `${base}-maturity` },
        Object.entries(MATURITY_NAMES).map(([value, label]) =>
          h("option", { value, selected: value === profile.maturity_level }, label)))),
    h("button", { type: "submit", class: "button secondary" }, "Save", hiddenText(` maturity level for ${profile.name}`)));

    const pin = h("form", {
      class: "pin-form",
      onsubmit: onSubmit((secret) => {
        const value = $(`${base}-pin`).value.trim();
        if (!/^\d{4}$/.test(value)) throw new ApiError(422, "invalid_pin", "A PIN is exactly 4 digits.");
        return api.request("PUT", `${path}/pin`, { pin: value, password: secret });
      }, `${profile.name} is now locked with a PIN.`),
    },
    h("div", { class: "field" },
      h("label", { for: `${base}-pin` }, "Profile lock PIN (4 digits)"),
      h("input", { id: `${base}-pin`, type: "password", inputmode: "numeric", autocomplete: "off", maxlength: "4", pattern: "[0-9]{4}" })),
    h("button", { type: "submit", class: "button secondary" }, "Set PIN", hiddenText(` for ${profile.name}`)),
    profile.has_pin === false ? null : h("button", {
      type: "button", class: "button danger",
      onclick: (e) => this.#submit(e.currentTarget.form,
        (secret) => api.request("DELETE", `${path}/pin`, { password: secret }), `The PIN of ${profile.name} was removed.`),
    }, "Remove PIN", hiddenText(` of ${profile.name}`)));

    const titles = this.#titles;
    const block = titles && titles.length ? h("form", {
      class: "block-form",
      onsubmit: onSubmit((secret) => api.request("POST", `${path}/blocked-titles`,
        { title_id: $(`${base}-title`).value, password: secret }),
      `That title is now blocked for ${profile.name}.`),
    },
    h("div", { class: "field" },
      h("label", { for: `${base}-title` }, "Block a title"),
      h("select", { id: `${base}-title` },
        titles.map((t) => h("option", { value: t.title_id },
          `${t.name} (${t.maturity_level || t.maturity_rating || "unrated"})`)))),
    h("button", { type: "submit", class: "button secondary" }, "Block", hiddenText(` title for ${profile.name}`))) : null;

    return h("li", { class: "profile", dataset: { profileId: profile.profile_id } },
      h("div", { class: "profile-head" },
        h("h3", null, profile.name),
        h("span", { class: "badge" }, KIND_NAMES[profile.kind] || profile.kind),
        pinText ? h("span", { class: "muted" }, pinText) : null),
      maturity, pin, block);
  }
}

/** The profile picker of the viewing activity; keeps the chosen profile. */
function fillActivityProfiles(profiles) {
  const select = $("activity-profile");
  const chosen = select.value;
  select.replaceChildren(...profiles.map((p) => h("option", { value: p.name, selected: p.name === chosen }, p.name)));
  $("activity-profile-field").hidden = profiles.length === 0;
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

/** The viewing activity of the profile chosen in #activity-profile, a page at a time. */
export class Activity {
  #api;
  #ui;
  #pageToken = "";

  /** api: the Api. ui: { pageError(text) }. */
  constructor(api, ui) {
    this.#api = api;
    this.#ui = ui;
  }

  /** first: start over (profile changed, screen opened); otherwise the next page. */
  async load(first) {
    const section = $("activity");
    const list = $("activity-list");
    const more = $("activity-more");
    if (first) { this.#pageToken = ""; list.replaceChildren(); }
    const query = new URLSearchParams({ page_size: "20" });
    const profile = $("activity-profile").value;
    if (profile) query.set("profile_name", profile); // viewing activity is per profile
    if (this.#pageToken) query.set("page_token", this.#pageToken);
    more.disabled = true;
    try {
      const data = await this.#api.request("GET", `/v1/activity?${query}`);
      list.append(...(data.activities || []).map(activityItem));
      this.#pageToken = data.next_page_token || "";
      more.hidden = !this.#pageToken;
      $("activity-empty").hidden = list.children.length > 0;
      section.hidden = false;
    } catch (error) {
      if (error instanceof SignedOut) return;
      if (first) section.hidden = true;
      else this.#ui.pageError(messageFor(error));
    } finally {
      more.disabled = false;
    }
  }
}
