"""The feed-poisoning attack, tried on the running suite with the gateway's own certificate.

An ApplyRevocation with the next, not yet used, sequence number and made-up content
used to be recorded as "already applied", so the real revocation that later got that
number was skipped: the device list kept a signed-out device active and its download
licence valid, while the fan-out said "applied". Now the services take a revocation's
content only from auth_service's feed: the forged call is refused and records nothing,
and the real sign-out is applied everywhere.
"""

from __future__ import annotations

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc
from remotesignout.device.v1 import device_pb2, device_pb2_grpc
from remotesignout.parental.v1 import parental_pb2, parental_pb2_grpc

from common.tls import TlsIdentity
from tools.json_http import call

PASSWORD = "poisoned feed password"


def sign_in(base: str, email: str, client_id: str) -> dict:
    reply = call(
        base,
        "POST",
        "/v1/sign-in",
        {"email": email, "password": PASSWORD, "device": {"client_id": client_id, "name": client_id, "type": "tv"}},
    )
    assert reply.status == 200, reply.body
    return reply.body  # type: ignore[no-any-return]


def test_a_forged_future_revocation_changes_nothing_and_the_real_one_is_applied(suite) -> None:  # type: ignore[no-untyped-def]
    base, pki = suite.gateway_url, suite.suite.config.pki_dir
    assert call(base, "POST", "/v1/accounts", {"email": "victim@example.com", "password": PASSWORD}).status == 201
    phone = sign_in(base, "victim@example.com", "victim-phone")
    tv = sign_in(base, "victim@example.com", "victim-tv")
    profile = call(base, "POST", "/v1/profiles", {"name": "Vic", "kind": "owner"}, token=phone["access_token"])
    download = call(
        base,
        "POST",
        "/v1/downloads",
        {"profile_id": profile.body["profile_id"], "title_id": "t-cold-harbour"},
        token=tv["access_token"],
    )
    assert download.status == 201, download.body
    download_id = download.body["download"]["download_id"]

    with TlsIdentity.from_dir("device_service", pki).sync_channel(suite.auth_address, "auth_service") as feed:
        last = (
            auth_pb2_grpc.AuthServiceStub(feed)
            .ListRevocations(auth_pb2.ListRevocationsRequest(after_sequence=0, page_size=1), timeout=5)
            .last_sequence
        )
    forged = auth_pb2.Revocation(
        sequence=last + 1,
        account_id="someone-else",
        scope=auth_pb2.REVOCATION_SCOPE_ALL,
        reason=auth_pb2.REVOCATION_REASON_SIGN_OUT_ALL,
    )
    gateway = TlsIdentity.from_dir("gateway", pki)
    with (
        gateway.sync_channel(suite.device_address, "device_service") as channel,
        pytest.raises(grpc.RpcError) as device_error,
    ):
        device_pb2_grpc.DeviceServiceStub(channel).ApplyRevocation(
            device_pb2.ApplyRevocationRequest(revocation=forged), timeout=10
        )
    with (
        gateway.sync_channel(suite.parental_address, "parental_service") as channel,
        pytest.raises(grpc.RpcError) as parental_error,
    ):
        parental_pb2_grpc.ParentalServiceStub(channel).ApplyRevocation(
            parental_pb2.ApplyRevocationRequest(revocation=forged), timeout=10
        )
    assert device_error.value.code() == parental_error.value.code() == grpc.StatusCode.NOT_FOUND

    signed_out = call(base, "POST", f"/v1/devices/{tv['device_id']}/sign-out", token=phone["access_token"])
    assert signed_out.status == 200, signed_out.body
    assert signed_out.body["revocation"]["sequence"] == last + 1, "the real revocation got the forged number"
    assert signed_out.body["propagation"] == {"device_service": "applied", "parental_service": "applied"}
    devices = call(base, "GET", "/v1/devices?include_inactive=true", token=phone["access_token"]).body["devices"]
    assert {d["device_id"]: d["status"] for d in devices}[tv["device_id"]] == "signed_out"
    licence = call(base, "GET", f"/v1/downloads/{download_id}/license", token=phone["access_token"])
    assert licence.status == 200 and licence.body["valid"] is False, licence.body
