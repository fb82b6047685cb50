"""The TV sign-in pages (RFC 8628): `/tv`, where a phone or browser enters a TV's code and approves or denies
it, `/tv-screen`, a TV simulator that asks for a code and shows it, and the QR code it shows.

The QR code (`/tv-screen/qr.svg?code=...`, SVG drawn here by segno) encodes this gateway's
`/tv?code=XXXXXXXX` for the code given, checked for its form only (8 letters of the user-code
alphabet, any case, dashes and spaces ignored): it looks nothing up, so it answers the same for
a live, an expired and a made-up code and tells nobody which codes exist. The pages run under
the same Content-Security-Policy as `/` (gateway.pages); the TV shows the SVG as an `<img>`,
which runs no script, and it is never stored by a cache: the code is a short-lived credential.
"""

from __future__ import annotations

import io
import string

import segno
from aiohttp import web

from gateway import errors, models
from gateway.api import NONE, Call, Reply, Routes
from gateway.edge import public_origin
from gateway.oauth import VERIFICATION_PATH
from gateway.pages import PAGE_HEADERS, STATIC

routes = Routes(
    "tv pages",
    "The TV sign-in pages: /tv approves a TV's code, /tv-screen is a TV simulator, and the QR code it shows.",
)

USER_CODE_ALPHABET = frozenset("BCDFGHJKLMNPQRSTVWXZ")
USER_CODE_LENGTH = 8
ASCII_LETTERS = frozenset(string.ascii_letters)
INVALID_USER_CODE = (
    f"A TV code is {USER_CODE_LENGTH} letters from {''.join(sorted(USER_CODE_ALPHABET))} (no vowels, no digits), "
    "such as BCDF-GHJK; dashes and spaces are ignored."
)
SVG = "image/svg+xml"
QR_HEADERS = {**PAGE_HEADERS, "Cache-Control": "no-store"}
QR_DARK, QR_LIGHT = "#141414", "#ffffff"


def normalize_user_code(text: str) -> str | None:
    """The code as 8 capital letters, or None when `text` is not a user code (RFC 8628 §6.1: case-insensitive,
    dashes and spaces are not part of it)."""
    if len(text) > models.USER_CODE_INPUT_MAX:
        return None
    code = text.replace("-", "").replace(" ", "")
    if not set(code) <= ASCII_LETTERS:  # before capitals: "ß".upper() is "SS", and "ǆ".upper() is one letter
        return None
    code = code.upper()
    if len(code) != USER_CODE_LENGTH or not set(code) <= USER_CODE_ALPHABET:
        return None
    return code


def qr_svg(text: str) -> bytes:
    """`text` as a QR code (error correction M), an SVG sized by its viewBox, quiet zone included."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        buffer, kind="svg", border=4, omitsize=True, xmldecl=False, dark=QR_DARK, light=QR_LIGHT, title="QR code"
    )
    return buffer.getvalue()


@routes.get(
    "/tv",
    "getTvApprovalPage",
    "The page where a signed-in phone or browser enters a TV's code, sees which device asks and from where, and "
    "approves or denies it (the QR code's verification_uri_complete, /tv?code=..., fills the code in).",
    security=NONE,
    media_type="text/html",
    services=False,
    text_example='<!doctype html>\n<html lang="en">...<script type="module" src="/static/tv.js"></script>',
)
async def tv_page(_call: Call) -> Reply:
    return web.FileResponse(STATIC / "tv.html")


@routes.get(
    "/tv-screen",
    "getTvScreenPage",
    "A TV simulator: asks for a code (POST /oauth2/device_authorization), shows it with its QR code, polls "
    "/oauth2/token, then shows who it is signed in as until a phone signs it out.",
    security=NONE,
    media_type="text/html",
    services=False,
    text_example='<!doctype html>\n<html lang="en">...<script type="module" src="/static/tv-screen.js"></script>',
)
async def tv_screen_page(_call: Call) -> Reply:
    return web.FileResponse(STATIC / "tv-screen.html")


@routes.get(
    "/tv-screen/qr.svg",
    "getTvQrCode",
    "The QR code of /tv?code=CODE on this gateway (GATEWAY_PUBLIC_URL, else the origin asked), as SVG.",
    description="The code is checked for its form only, never looked up: a malformed one is 400 "
    "`invalid_user_code`, any well-formed one gets its QR code whether or not a TV holds it.",
    security=NONE,
    media_type=SVG,
    services=False,
    errors=(400,),
    headers=QR_HEADERS,
    text_example='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 37 37" class="segno">...</svg>',
)
async def tv_qr_code(call: Call, query: models.UserCodeQuery) -> Reply:
    code = normalize_user_code(query.code)
    if code is None:
        return errors.error_response(400, "invalid_user_code", INVALID_USER_CODE)
    origin = public_origin(call.request, call.backends.settings)
    if origin is None:
        return errors.error_response(400, "bad_request", "The Host header is not a host name or address.")
    # The same address as /oauth2/device_authorization's verification_uri_complete.
    return web.Response(body=qr_svg(f"{origin}{VERIFICATION_PATH}?code={code}"), content_type=SVG)
