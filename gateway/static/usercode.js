// A TV's user code (RFC 8628 §6.1): 8 letters from BCDFGHJKLMNPQRSTVWXZ, shown as XXXX-XXXX,
// accepted in any case with dashes and spaces ignored. The same rule as the gateway's (gateway/tv_pages.py).

export const ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const LENGTH = 8;

/** What was typed without dashes and spaces, a to z capitalised (not yet checked; "ß" stays "ß", not "SS"). */
export function compact(text) {
  return String(text || "").replace(/[\s-]+/g, "").replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** "BCDF-GHJK" from "bcdfghjk" (and any partial input, for the field as it is typed). */
export function format(text) {
  const letters = compact(text);
  return letters.length > 4 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : letters;
}

/** Why `text` is not a user code, as a sentence; "" when it is one. */
export function problem(text) {
  const letters = compact(text);
  if (!letters) return "Enter the 8-letter code shown on your TV.";
  const wrong = [...new Set([...letters].filter((c) => !ALPHABET.includes(c)))];
  if (wrong.length) {
    const shown = wrong.slice(0, 3).map((c) => `\u201c${c}\u201d`).join(", ");
    return `${shown} can't be in a TV code: codes use only letters without vowels (no A, E, I, O, U or Y) ` +
      "and no digits. Check the code on your TV.";
  }
  if (letters.length !== LENGTH) {
    return `That code has ${letters.length} letter${letters.length === 1 ? "" : "s"}; ` +
      `the code on your TV has ${LENGTH}, such as BCDF-GHJK.`;
  }
  return "";
}
