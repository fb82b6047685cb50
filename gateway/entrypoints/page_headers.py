"""Security headers for the web page (`/`) and its files (`/static/...`).

The page runs under a Content-Security-Policy with no inline script, no eval and no inline style:
everything it loads comes from this gateway. Module scripts need a JavaScript MIME type, so `.js`
files are always `text/javascript`, whatever the host's mimetypes table says.

A response-prepare hook rather than a middleware: a static file's status (200, 304, 404) is only
known once aiohttp prepares the FileResponse, after every middleware has returned.
"""

from __future__ import annotations

from aiohttp import web

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Revalidate every time (a 304 is cheap): a browser must never mix modules of two releases.
    "Cache-Control": "no-cache",
}
JAVASCRIPT = "text/javascript; charset=utf-8"


def is_page(path: str) -> bool:
    return path == "/" or path.startswith("/static/")


async def add_page_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the page's headers on `/` and `/static/...`, whatever the status."""
    if not is_page(request.path):
        return
    response.headers.update(PAGE_HEADERS)
    if isinstance(response, web.FileResponse) and response.status in (200, 206) and request.path.endswith(".js"):
        response.headers["Content-Type"] = JAVASCRIPT
