"""The TV sign-in pages, /tv and /tv-screen, and the QR code the TV shows: it opens this gateway's /tv with the code
filled in, read back by a QR decoder; a malformed code is 400 invalid_user_code; and it looks nothing up, so it cannot
tell anyone which codes exist."""

from __future__ import annotations

import re

import pytest

from gateway.tv_pages import normalize_user_code
from tests.integration.gateway.conftest import bearer
from tests.integration.gateway.test_page_headers import assert_page_headers
from tests.integration.gateway.test_playback_and_profiles import profiles_of
from tests.qr_codes import decode_svg

QR = "/tv-screen/qr.svg"


@pytest.mark.parametrize(("path", "script"), [("/tv", "/static/tv.js"), ("/tv-screen", "/static/tv-screen.js")])
async def test_each_tv_page_is_served_under_the_content_security_policy(stack, path, script):
    response = await stack.client.get(path)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert_page_headers(response.headers)
    assert f'<script type="module" src="{script}"></script>' in await response.text()
    head = await stack.client.head(path)
    assert head.status == 200
    assert_page_headers(head.headers)


@pytest.mark.parametrize("typed", ["BCDFGHJK", "bcdfghjk", "BCDF-GHJK", "bcdf ghjk", " Bc-Df gH-jK "])
async def test_the_qr_code_opens_this_gateways_tv_page_with_the_code_in_capitals(stack, typed):
    response = await stack.client.get(QR, params={"code": typed})
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"].split(";")[0] == "image/svg+xml"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    svg = await response.read()
    assert b"<script" not in svg
    host = f"{stack.client.host}:{stack.client.port}"
    assert decode_svg(svg) == [f"http://{host}/tv?code=BCDFGHJK"]


@pytest.mark.parametrize(
    "code",
    [
        "",  # nothing
        "BCDFGHJ",  # 7 letters
        "BCDFGHJKL",  # 9
        "ABCDEFGH",  # vowels are not in the alphabet
        "BCDFGHJY",  # nor is Y
        "BCDF1234",  # nor digits
        "BCDF_GHJK",  # an underscore is not a dash
        "BCDFGHJK" * 5,  # far too long, dashes or not
        "-" * 60 + "BCDFGHJK",
        "\u0412CDFGHJK",  # a Cyrillic capital VE looks like B
        "\uff42\uff43\uff44\uff46\uff47\uff48\uff4a\uff4b",  # fullwidth letters
        "bcdfgh\u00df",  # "ß".upper() is "SS": the letters are checked before they are capitalised
    ],
)
async def test_a_malformed_code_is_400_invalid_user_code_and_draws_nothing(stack, code):
    response = await stack.client.get(QR, params={"code": code})
    assert response.status == 400
    body = await response.json()
    assert body["error"]["code"] == "invalid_user_code"
    assert "8 letters" in body["error"]["message"]


async def test_a_missing_code_and_a_control_character_are_clear_errors(stack):
    missing = await stack.client.get(QR)
    assert missing.status == 422
    assert "'code'" in (await missing.json())["error"]["message"]
    control = await stack.client.get(QR, params={"code": "BCDF\x00GHJK"})
    assert control.status == 400
    assert (await control.json())["error"]["code"] == "invalid_text"


async def test_the_qr_code_looks_nothing_up_so_it_answers_alike_for_any_well_formed_code(stack):
    """With auth_service down the QR code still answers: no code is looked up, so none can be probed here."""
    await stack.servers["auth"].stop(0)
    first = await stack.client.get(QR, params={"code": "ZZZZ-ZZZZ"})
    second = await stack.client.get(QR, params={"code": "BCDF-GHJK"})
    assert (first.status, second.status) == (200, 200)
    assert decode_svg(await first.read()) == [f"http://{stack.client.host}:{stack.client.port}/tv?code=ZZZZZZZZ"]
    assert (await second.read()) != (await first.read())


class TestBehindItsPublicAddress:
    @pytest.fixture
    def gateway_settings(self) -> dict[str, object]:
        return {"public_url": "https://tv.example.com"}

    async def test_the_qr_code_opens_the_configured_public_url_whatever_the_host_header(self, stack):
        response = await stack.client.get(QR, params={"code": "bcdf-ghjk"}, headers={"Host": "attacker.example"})
        assert response.status == 200
        assert decode_svg(await response.read()) == ["https://tv.example.com/tv?code=BCDFGHJK"]


async def test_the_tv_pages_are_in_the_openapi_document(stack):
    document = await (await stack.client.get("/openapi.json")).json()
    assert document["paths"]["/tv"]["get"]["operationId"] == "getTvApprovalPage"
    assert document["paths"]["/tv-screen"]["get"]["operationId"] == "getTvScreenPage"
    qr = document["paths"][QR]["get"]
    assert "image/svg+xml" in qr["responses"]["200"]["content"]
    assert "400" in qr["responses"]
    assert qr["security"] == []
    (code,) = qr["parameters"]
    assert code["required"] is True
    pattern = re.compile(code["schema"]["pattern"])  # what the schema calls a code, the gateway draws
    for typed in ("BCDF-GHJK", "b c d f g h j k", "--bcdfGHJK--"):
        assert pattern.fullmatch(typed) and normalize_user_code(typed) == "BCDFGHJK"
    for typed in ("BCDF-GHJA", "BCDFGHJ", "BCDF_GHJK"):
        assert not pattern.fullmatch(typed) and normalize_user_code(typed) is None


async def test_the_session_names_the_profile_it_entered_so_a_tv_can_say_who_it_is_signed_in_as(stack):
    tokens = await stack.sign_in()
    before = await (await stack.client.get("/v1/session", headers=bearer(tokens))).json()
    assert before["profile_id"] == ""
    kid = (await profiles_of(stack, tokens))["Kid"]["profile_id"]
    selected = await stack.client.post(f"/v1/profiles/{kid}/select", json={}, headers=bearer(tokens))
    assert selected.status == 200
    scoped = {"access_token": (await selected.json())["access_token"]}
    after = await (await stack.client.get("/v1/session", headers=bearer(scoped))).json()
    assert after["profile_id"] == kid
