"""The web page and its files are served under a strict Content-Security-Policy, with JavaScript typed as such."""

import pathlib

import pytest
from aiohttp import web_fileresponse

from gateway.pages import CONTENT_SECURITY_POLICY

STATIC = pathlib.Path(__file__).resolve().parents[3] / "gateway" / "static"
SCRIPTS = sorted(path.name for path in STATIC.glob("*.js"))
DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} appears twice in {policy!r}"
        parsed[name] = values
    return parsed


def assert_page_headers(headers) -> None:  # type: ignore[no-untyped-def]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-cache"
    assert directives(headers["Content-Security-Policy"]) == DIRECTIVES


def test_the_policy_allows_no_inline_code_no_eval_and_nothing_from_elsewhere() -> None:
    parsed = directives(CONTENT_SECURITY_POLICY)
    assert parsed == DIRECTIVES
    for values in parsed.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(values)


async def test_the_page_is_served_under_the_content_security_policy(stack):
    response = await stack.client.get("/")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert_page_headers(response.headers)
    assert '<script type="module" src="/static/main.js"></script>' in await response.text()


@pytest.mark.parametrize("name", SCRIPTS)
async def test_every_module_is_served_as_text_javascript(stack, name):
    response = await stack.client.get(f"/static/{name}")
    assert response.status == 200
    assert response.headers["Content-Type"].split(";")[0].strip() == "text/javascript"
    assert_page_headers(response.headers)


async def test_the_stylesheet_is_text_css_with_the_same_headers(stack):
    response = await stack.client.get("/static/app.css")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert_page_headers(response.headers)


async def test_a_revalidated_module_and_a_missing_file_keep_the_headers(stack):
    first = await stack.client.get("/static/main.js")
    again = await stack.client.get("/static/main.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    assert_page_headers(again.headers)

    missing = await stack.client.get("/static/nothing-here.js")
    assert missing.status == 404
    assert "javascript" not in missing.headers.get("Content-Type", "")
    assert_page_headers(missing.headers)


async def test_modules_are_text_javascript_even_where_the_host_says_otherwise(stack, monkeypatch):
    monkeypatch.setitem(web_fileresponse.CONTENT_TYPES.types_map[True], ".js", "application/javascript")
    response = await stack.client.get("/static/main.js")
    assert response.status == 200
    assert response.headers["Content-Type"].split(";")[0].strip() == "text/javascript"
