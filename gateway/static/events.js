// Live updates: GET /v1/events (Server-Sent Events) read with fetch() and a stream reader,
// because EventSource cannot send the Authorization header. Reconnects with jittered backoff
// (starting from the stream's `retry:`), and with Last-Event-ID so that the gateway sends what
// this page missed, or `resync` when it cannot. When the access token expires the gateway ends
// the stream with `token_expired`: the page refreshes its token and reconnects at once. When
// newer streams of the session or account pushed this one out (`closed`, too_many_streams), it
// stays closed and says so: reconnecting would only push another one out.

import { tokens } from "./api.js";

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30000;

export const LIVE_TEXT = {
  live: "Live: changes show up here at once",
  offline: "Live updates paused; reconnecting…",
  paused: "Live updates stopped here: this account has too many live windows open. " +
    "Reload the page to turn them back on here.",
};

/**
 * One SSE frame ("id: x\nevent: y\ndata: {...}") as { name, payload, id, retry }; payload is null unless it
 * is JSON, id null without an id field, retry null unless a whole number of milliseconds.
 */
export function parseFrame(frame) {
  let name = "message";
  let id = null;
  let retry = null;
  const data = [];
  for (const line of frame.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
    else if (field === "id" && !value.includes("\0")) id = value;
    else if (field === "retry" && /^[0-9]+$/.test(value)) retry = Number(value);
  }
  let payload = null;
  try { payload = data.length ? JSON.parse(data.join("\n")) : null; } catch { payload = null; }
  return { name, payload, id, retry };
}

export class LiveEvents {
  #api;
  #on;
  #stream = null; // the AbortController of the open connection
  #reconnectTimer = null;
  #firstBackoff = FIRST_BACKOFF_MS;
  #backoff = FIRST_BACKOFF_MS;
  #lastEventId = null; // of this session's stream, sent back as Last-Event-ID when reconnecting
  #ending = null; // why the open stream is ending: "token_expired" or "closed"
  #generation = 0; // bumped whenever the stream is stopped or replaced

  /**
   * api: the Api (for refreshOnce). on: callbacks
   *   status(state, text)  state is "live" or "offline"
   *   revoked(reason)      this session was signed out
   *   devices()            the device list changed
   *   playbackStopped(message)
   *   resync()             events were missed: fetch what the page shows afresh
   *   sessionEnded()       401 and the refresh token could not renew it
   *   leaving()            true while this page is signing itself out (no reconnect, no screen)
   */
  constructor(api, on) {
    this.#api = api;
    this.#on = on;
  }

  /** Closes the stream for good (signed out, another screen): the next open() starts afresh. */
  stop() {
    this.#halt();
    this.#lastEventId = null;
  }

  #halt() {
    this.#generation += 1;
    if (this.#reconnectTimer) { clearTimeout(this.#reconnectTimer); this.#reconnectTimer = null; }
    if (this.#stream) { const old = this.#stream; this.#stream = null; old.abort(); }
  }

  async open() {
    this.#halt();
    const current = tokens();
    if (!current) return;
    const controller = new AbortController();
    this.#stream = controller;
    this.#ending = null;
    const usedToken = current.access_token;
    const headers = { Authorization: `Bearer ${usedToken}`, Accept: "text/event-stream" };
    if (this.#lastEventId) headers["Last-Event-ID"] = this.#lastEventId;
    let response;
    try {
      response = await fetch("/v1/events", { headers, signal: controller.signal, cache: "no-store" });
    } catch {
      if (this.#stream === controller) { this.#stream = null; this.#scheduleReconnect(); }
      return;
    }
    if (this.#stream !== controller) return;
    if (response.status === 401) {
      this.#stream = null;
      if (await this.#api.refreshOnce()) this.open();
      else if (!this.#on.leaving()) this.#on.sessionEnded();
      return;
    }
    if (!response.ok || !response.body) {
      this.#stream = null;
      this.#scheduleReconnect();
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
          if (this.#stream !== controller) return;
          this.#dispatch(parseFrame(frame));
        }
      }
    } catch { /* dropped or aborted */ }
    if (this.#stream !== controller) return;
    this.#stream = null;
    if (this.#ending === "closed") {
      this.#on.status("paused", LIVE_TEXT.paused);
    } else if (this.#ending === "token_expired") {
      if (this.#on.leaving()) return;
      const generation = this.#generation;
      // Another request may have renewed the token already; otherwise renew it now.
      const renewed = (tokens() && tokens().access_token !== usedToken) || await this.#api.refreshOnce();
      if (generation !== this.#generation || this.#on.leaving()) return; // stopped or reopened meanwhile
      if (renewed) this.open();
      else this.#on.sessionEnded();
    } else {
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect() {
    if (!tokens() || this.#on.leaving()) return;
    this.#on.status("offline", LIVE_TEXT.offline);
    const wait = Math.max(this.#backoff, this.#firstBackoff) + Math.random() * this.#backoff / 2;
    this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
    this.#reconnectTimer = setTimeout(() => { this.#reconnectTimer = null; this.open(); }, wait);
  }

  #dispatch({ name, payload, id, retry }) {
    if (id !== null) this.#lastEventId = id;
    if (retry !== null) this.#firstBackoff = Math.min(Math.max(retry, FIRST_BACKOFF_MS), MAX_BACKOFF_MS);
    if (name === "ready") {
      this.#backoff = this.#firstBackoff;
      this.#on.status("live", LIVE_TEXT.live);
    } else if (name === "token_expired" || name === "closed") {
      this.#ending = name;
    } else if (name === "resync") {
      this.#on.resync();
    } else if (name === "revoked") {
      if (this.#on.leaving()) return;
      this.#on.revoked(payload && payload.reason);
    } else if (name === "devices") {
      this.#on.devices();
    } else if (name === "playback_stopped") {
      this.#on.playbackStopped(payload && payload.message);
    }
  }
}
