"""Recent authentication through the four real processes: a kids profile that switches to an unlocked standard
profile cannot sign the parents' TV out until the account password is entered on that session again."""

from __future__ import annotations

from tools.json_http import Reply, call

CLUSTER_TOO = True  # also run against the cluster (tests/e2e/conftest.py)

PASSWORD = "correct horse battery"
EMAIL = "household@example.com"


def sign_in(base: str, client_id: str, kind: str) -> dict[str, str]:
    device = {"client_id": client_id, "name": client_id, "type": kind}
    reply = call(base, "POST", "/v1/sign-in", {"email": EMAIL, "password": PASSWORD, "device": device})
    assert reply.status == 200, reply.body
    return dict(reply.body)


def select(base: str, token: str, profile_id: str) -> str:
    reply = call(base, "POST", f"/v1/profiles/{profile_id}/select", {}, token=token)
    assert reply.status == 200, reply.body
    return str(reply.body["access_token"])


def refused(reply: Reply) -> tuple[int, str]:
    return reply.status, reply.error_code


def test_a_kids_profile_cannot_sign_the_parents_tv_out_until_the_password_is_entered_again(suite) -> None:  # type: ignore[no-untyped-def]
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": EMAIL, "password": PASSWORD}).status == 201
    tv = sign_in(base, "parents-tv", "tv")
    tablet = sign_in(base, "kids-tablet", "tablet")
    profiles = {}
    for name, kind in (("Parent", "owner"), ("Teen", "standard"), ("Robin", "kids")):
        created = call(base, "POST", "/v1/profiles", {"name": name, "kind": kind}, token=tv["access_token"])
        assert created.status == 201, created.body  # the TV signed in a moment ago: that counts
        profiles[name] = created.body["profile_id"]
    sign_out_tv = f"/v1/devices/{tv['device_id']}/sign-out"

    as_kid = select(base, tablet["access_token"], profiles["Robin"])
    assert refused(call(base, "POST", sign_out_tv, token=as_kid)) == (403, "kids_profile")
    as_teen = select(base, as_kid, profiles["Teen"])  # no PIN on it: allowed, as at Netflix
    assert refused(call(base, "POST", sign_out_tv, token=as_teen)) == (403, "reauthentication_required")
    assert refused(call(base, "DELETE", f"/v1/devices/{tv['device_id']}", token=as_teen)) == (
        403,
        "reauthentication_required",
    )
    assert call(base, "GET", "/v1/session", token=tv["access_token"]).status == 200, "the TV must still be signed in"

    wrong = call(base, "POST", "/v1/session/confirm-password", {"password": "a guess"}, token=as_teen)
    assert refused(wrong) == (401, "wrong_password")
    assert refused(call(base, "POST", sign_out_tv, token=as_teen)) == (403, "reauthentication_required")

    confirmed = call(base, "POST", "/v1/session/confirm-password", {"password": PASSWORD}, token=as_teen)
    assert confirmed.status == 200, confirmed.body
    assert confirmed.body["recently_authenticated_until"].endswith("Z")
    signed_out = call(base, "POST", sign_out_tv, token=as_teen)
    assert signed_out.status == 200, signed_out.body
    assert call(base, "GET", "/v1/session", token=tv["access_token"]).status == 401

    as_parent = select(base, as_teen, profiles["Parent"])  # another profile: the confirmation ends
    assert refused(call(base, "POST", "/v1/sign-out-all", {"include_current": False}, token=as_parent)) == (
        403,
        "reauthentication_required",
    )
    assert call(base, "POST", "/v1/sign-out", token=as_parent).status == 200  # signing this device out stays free
