// Small element helpers. Data only ever reaches the page as text nodes or attribute values,
// never through innerHTML, so nothing a server or another user sends can become markup.
// No inline style either: the page runs under a CSP without 'unsafe-inline'; use classes.

const SVG_NS = "http://www.w3.org/2000/svg";

export const $ = (id) => document.getElementById(id);

function setAttributes(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "style" || key === "innerHTML" || key === "outerHTML") {
      throw new Error(`h(): "${key}" is not allowed; use a class and app.css`);
    }
    if (key === "class") node.setAttribute("class", value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: h("p", { class: "x", onclick: f }, "text", otherNode, [more]). Strings become text. */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

/** Saves `blob` as a file called `filename`, the way a download link does. */
export function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** Shows `text` in an error box, or hides the box when text is empty. */
export function showError(element, text) {
  element.textContent = text;
  element.hidden = !text;
}

/** Disables a form's buttons while it is being sent. */
export function busy(form, on) {
  for (const button of form.querySelectorAll("button")) button.disabled = on;
  form.setAttribute("aria-busy", on ? "true" : "false");
}

// ---------------------------------------------------------------- device icons
export const TYPE_NAMES = {
  tv: "TV", phone: "Phone", tablet: "Tablet", computer: "Computer", browser: "Web browser",
  console: "Game console", streaming_player: "Streaming player",
};

// 24x24 stroke icons, one per device type, as [tag, attributes] pairs.
const ICONS = {
  tv: [["rect", { x: 2, y: 4, width: 20, height: 13, rx: 2 }], ["path", { d: "M8 21h8M12 17v4" }]],
  phone: [["rect", { x: 7, y: 2, width: 10, height: 20, rx: 2 }], ["path", { d: "M11 18h2" }]],
  tablet: [["rect", { x: 4, y: 2, width: 16, height: 20, rx: 2 }], ["path", { d: "M11 18h2" }]],
  computer: [["rect", { x: 4, y: 5, width: 16, height: 11, rx: 1.5 }], ["path", { d: "M2 19h20" }]],
  browser: [["rect", { x: 3, y: 4, width: 18, height: 16, rx: 2 }], ["path", { d: "M3 9h18" }],
    ["path", { d: "M6 6.5h.01M8.5 6.5h.01" }]],
  console: [["path", { d: "M7 8h10a4 4 0 0 1 4 4v1a3 3 0 0 1-5.4 1.8L14.5 13h-5l-1.1 1.8A3 3 0 0 1 3 13v-1a4 4 0 0 1 4-4z" }],
    ["path", { d: "M7.5 10.5v3M6 12h3M16 11h.01M17.5 12.5h.01" }]],
  streaming_player: [["rect", { x: 2, y: 10, width: 13, height: 7, rx: 1.5 }],
    ["rect", { x: 17.5, y: 5, width: 4, height: 14, rx: 1.5 }], ["path", { d: "M19.5 8h.01M5 13.5h4" }]],
};

/** The icon of a device type, labelled with the type's name. */
export function icon(type, size = 24) {
  const label = TYPE_NAMES[type] || "Device";
  const shapes = ICONS[type] || ICONS.computer;
  return s("svg", {
    viewBox: "0 0 24 24", width: size, height: size, fill: "none", stroke: "currentColor",
    "stroke-width": "1.8", "stroke-linecap": "round", "stroke-linejoin": "round",
    role: "img", "aria-label": label, focusable: "false",
  }, s("title", null, label), shapes.map(([tag, attrs]) => s(tag, attrs)));
}

// ---------------------------------------------------------------- time
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
  ["hour", 3600], ["minute", 60], ["second", 1]];

/** <time> saying how long ago (and when, locally) `iso` was; null for a missing or bad date. */
export function timeElement(iso) {
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

// ---------------------------------------------------------------- status line and confirmation dialog
/** The polite status line (#status). */
export class StatusLine {
  #element;
  #timer = null;

  constructor(element) { this.#element = element; }

  announce(text) {
    this.#element.textContent = "";
    clearTimeout(this.#timer);
    // A fresh text node after a tick makes screen readers announce repeats too.
    this.#timer = setTimeout(() => { this.#element.textContent = text; }, 30);
  }

  clear() {
    clearTimeout(this.#timer);
    this.#element.textContent = "";
  }
}

/**
 * The modal <dialog id="reauth">: asks for the account password when a change answers 403
 * reauthentication_required. ask(check) resolves true once check(password) resolves, false when the
 * person cancels (or check throws `stop`); while check throws anything else, its message(error) is shown
 * and the dialog stays open. One question at a time: a second ask() while open shares the first answer.
 */
export class PasswordDialog {
  #dialog;
  #asking = null;
  #check = null;
  #message;
  #resolve = null;

  /** message(error) → the sentence to show for a failed check; stop(error) → end the dialog instead. */
  constructor(dialog, { message, stop }) {
    this.#dialog = dialog;
    this.#message = message;
    this.stop = stop;
    $("reauth-form").addEventListener("submit", (event) => { event.preventDefault(); this.#submit(); });
    $("reauth-cancel").addEventListener("click", () => dialog.close("cancel"));
    dialog.addEventListener("close", () => this.#finish(false));
  }

  ask(check) {
    if (this.#asking) return this.#asking;
    const opener = document.activeElement;
    this.#check = check;
    $("reauth-password").value = "";
    showError($("reauth-error"), "");
    this.#asking = new Promise((resolve) => {
      this.#resolve = (value) => {
        this.#asking = this.#resolve = this.#check = null;
        $("reauth-password").value = "";
        if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
        resolve(value);
      };
    });
    this.#dialog.showModal();
    $("reauth-password").focus();
    return this.#asking;
  }

  async #submit() {
    const form = $("reauth-form");
    const password = $("reauth-password").value;
    if (!password) {
      showError($("reauth-error"), "Enter your password.");
      $("reauth-password").focus();
      return;
    }
    busy(form, true);
    showError($("reauth-error"), "");
    try {
      await this.#check(password);
      this.#finish(true);
    } catch (error) {
      if (this.stop(error)) { this.#finish(false); return; }
      showError($("reauth-error"), this.#message(error));
      $("reauth-password").select();
      $("reauth-password").focus();
    } finally {
      busy(form, false);
    }
  }

  #finish(confirmed) {
    const resolve = this.#resolve;
    if (!resolve) return;
    this.#resolve = null; // the dialog's close event comes next and must not answer again
    if (this.#dialog.open) this.#dialog.close(confirmed ? "confirm" : "cancel");
    resolve(confirmed);
  }

  close() {
    if (this.#dialog.open) this.#dialog.close("cancel");
  }
}

/** The modal <dialog id="confirm">: ask() resolves true for the confirm button, false otherwise. */
export class ConfirmDialog {
  #dialog;
  #resolve = null;

  constructor(dialog) {
    this.#dialog = dialog;
    dialog.addEventListener("close", () => {
      if (this.#resolve) this.#resolve(dialog.returnValue);
    });
  }

  /** extra: nodes shown under the message (such as a link to keep something first), or nothing. */
  ask({ title, message, confirm, extra }, opener) {
    const dialog = this.#dialog;
    $("confirm-title").textContent = title;
    $("confirm-message").textContent = message;
    $("confirm-ok").textContent = confirm;
    const more = extra ? [extra].flat() : [];
    $("confirm-extra").replaceChildren(...more);
    $("confirm-extra").hidden = more.length === 0;
    dialog.returnValue = "";
    return new Promise((resolve) => {
      this.#resolve = (value) => {
        this.#resolve = null;
        if (opener && opener.isConnected) opener.focus();
        resolve(value === "confirm");
      };
      dialog.showModal();
      $("confirm-cancel").focus();
    });
  }

  close() {
    if (this.#dialog.open) this.#dialog.close("cancel");
  }
}
