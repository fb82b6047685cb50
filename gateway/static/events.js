// Live updates: GET /v1/events (Server-Sent Events) read with fetch() and a stream reader,
// because EventSource cannot send the Authorization header. Reconnects with jittered backoff.

import { tokens } from "./api.js";

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30000;

export const LIVE_TEXT = {
  live: "Live: changes show up here at once",
  offline: "Live updates paused; reconnecting…",
};

/** One SSE frame ("event: x\ndata: {...}") as { name, payload }; payload is null unless it is JSON. */
export function parseFrame(frame) {
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
  return { name, payload };
}

export class LiveEvents {
  #api;
  #on;
  #stream = null; // the AbortController of the open connection
  #reconnectTimer = null;
  #backoff = FIRST_BACKOFF_MS;

  /**
   * api: the Api (for refreshOnce). on: callbacks
   *   status(state, text)  state is "live" or "offline"
   *   revoked(reason)      this session was signed out
   *   devices()            the device list changed
   *   playbackStopped(message)
   *   sessionEnded()       401 and the refresh token could not renew it
   *   leaving()            true while this page is signing itself out (no reconnect, no screen)
   */
  constructor(api, on) {
    this.#api = api;
    this.#on = on;
  }

  stop() {
    if (this.#reconnectTimer) { clearTimeout(this.#reconnectTimer); this.#reconnectTimer = null; }
    if (this.#stream) { const old = this.#stream; this.#stream = null; old.abort(); }
  }

  async open() {
    this.stop();
    const current = tokens();
    if (!current) return;
    const controller = new AbortController();
    this.#stream = controller;
    let response;
    try {
      response = await fetch("/v1/events", {
        headers: { Authorization: `Bearer ${current.access_token}`, Accept: "text/event-stream" },
        signal: controller.signal, cache: "no-store",
      });
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
    if (this.#stream === controller) {
      this.#stream = null;
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect() {
    if (!tokens() || this.#on.leaving()) return;
    this.#on.status("offline", LIVE_TEXT.offline);
    const wait = this.#backoff + Math.random() * this.#backoff / 2;
    this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
    this.#reconnectTimer = setTimeout(() => { this.#reconnectTimer = null; this.open(); }, wait);
  }

  #dispatch({ name, payload }) {
    if (name === "ready") {
      this.#backoff = FIRST_BACKOFF_MS;
      this.#on.status("live", LIVE_TEXT.live);
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
