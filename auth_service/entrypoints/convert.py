"""Proto <-> domain for AuthService: every message the servicer reads or writes is built here."""

from __future__ import annotations

from google.protobuf.duration_pb2 import Duration
from remotesignout.auth.v1 import auth_pb2 as pb

from auth_service.domain.device_authorization import Status
from auth_service.domain.model import DeviceInfo, Session
from auth_service.domain.tokens import AccessClaims
from auth_service.service_layer.device_authorizations import Seen, Started
from auth_service.service_layer.introspection import ActiveToken
from auth_service.service_layer.session_events import SessionEvent
from auth_service.service_layer.sessions import TokenPair
from common.clock import to_timestamp
from common.errors import InvalidArgument
from common.revocation import Reason, Scope
from common.revocation_proto import reason_from_proto, scope_from_proto, to_proto
from common.validator import Grant, Receipt

DEVICE_TYPE_PREFIX = "DEVICE_TYPE_"


def device_info(device: pb.Device) -> DeviceInfo:
    """The device a sign-in names; an unknown type becomes "" (refused by the service layer)."""
    known = device.type and device.type in pb.DeviceType.values()
    type_name = pb.DeviceType.Name(device.type).removeprefix(DEVICE_TYPE_PREFIX).lower() if known else ""
    return DeviceInfo(
        client_id=device.client_id,
        name=device.name,
        type=type_name,
        platform=device.platform,
        app_version=device.app_version,
    )


def device(value: DeviceInfo) -> pb.Device:
    """The device's name, type and its own client_id (platform and app version when it gave them)."""
    return pb.Device(
        client_id=value.client_id,
        name=value.name,
        type=DEVICE_TYPE_PREFIX + (value.type or "unspecified").upper(),
        platform=value.platform,
        app_version=value.app_version,
    )


def device_authorization_started(started: Started) -> pb.StartDeviceAuthorizationResponse:
    return pb.StartDeviceAuthorizationResponse(
        device_code=started.device_code,
        user_code=started.user_code,
        expires_in=started.expires_in,
        interval=started.interval,
    )


def _location(place: tuple[str, str]) -> pb.ApproximateLocation:
    description, country = place
    return pb.ApproximateLocation(description=description, country=country)


_STATUS = {
    Status.PENDING: pb.DEVICE_AUTHORIZATION_STATUS_PENDING,
    Status.CLAIMED: pb.DEVICE_AUTHORIZATION_STATUS_PENDING,  # shown only to its own approver, or once stale
    Status.APPROVED: pb.DEVICE_AUTHORIZATION_STATUS_APPROVED,
    Status.DENIED: pb.DEVICE_AUTHORIZATION_STATUS_DENIED,
}


def device_authorization(seen: Seen) -> pb.DeviceAuthorization:
    """What the approver sees; the device's own client_id stays out (only its name and type)."""
    authorization = seen.authorization
    shown = authorization.device
    return pb.DeviceAuthorization(
        user_code=seen.user_code,
        status=_STATUS.get(authorization.status, pb.DEVICE_AUTHORIZATION_STATUS_UNSPECIFIED),
        device=pb.Device(name=shown.name, type=device(shown).type),
        location=_location(seen.location),
        requested_at=to_timestamp(authorization.requested_at_us),
        expires_at=to_timestamp(authorization.expires_at_us),
        approver_location=_location(seen.approver_location),
        location_differs=seen.location_differs,
    )


def device_token_response(pair: TokenPair) -> pb.PollDeviceAuthorizationResponse:
    return pb.PollDeviceAuthorizationResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        session_id=pair.session.session_id,
        device_id=pair.session.device_id,
        account_id=pair.session.account_id,
    )


def scope(number: int) -> Scope:
    try:
        return scope_from_proto(number)
    except InvalidArgument:
        raise InvalidArgument("scope must be SESSION, DEVICE, ALL or ALL_OTHERS.") from None


def reason(number: int) -> Reason:
    try:
        return reason_from_proto(number)
    except InvalidArgument:
        raise InvalidArgument("reason is required, such as SIGN_OUT or SIGN_OUT_ALL.") from None


def sign_in_response(pair: TokenPair) -> pb.SignInResponse:
    return pb.SignInResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        session_id=pair.session.session_id,
        device_id=pair.session.device_id,
        account_id=pair.session.account_id,
    )


def refresh_token_response(pair: TokenPair) -> pb.RefreshTokenResponse:
    return pb.RefreshTokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        session_id=pair.session.session_id,
        device_id=pair.session.device_id,
        account_id=pair.session.account_id,
    )


def validate_token_response(claims: AccessClaims) -> pb.ValidateTokenResponse:
    response = pb.ValidateTokenResponse(
        account_id=claims.account_id,
        session_id=claims.session_id,
        device_id=claims.device_id,
        profile_id=claims.profile_id,
        profile_kind=claims.profile_kind,
    )
    response.expires_at.seconds = claims.expires_at
    return response


def session(value: Session, revoked: bool, recently_authenticated_until: int | None = None) -> pb.Session:
    message = pb.Session(
        session_id=value.session_id,
        account_id=value.account_id,
        device_id=value.device_id,
        created_at=to_timestamp(value.created_at_us),
        last_used_at=to_timestamp(value.last_used_at_us),
        expires_at=to_timestamp(value.expires_at_us),
        revoked=revoked,
        profile_id=value.profile_id,
        recently_authenticated=recently_authenticated_until is not None,
    )
    confirmed_at = value.password_confirmed_at_us
    if confirmed_at is not None and value.password_confirmed_profile_id == value.profile_id:
        message.password_confirmed_at.FromMicroseconds(confirmed_at)
    return message


def introspect_token_response(active: ActiveToken | None) -> pb.IntrospectTokenResponse:
    if active is None:
        return pb.IntrospectTokenResponse(active=False)
    return pb.IntrospectTokenResponse(
        active=True,
        token_type=active.token_type,
        account_id=active.account_id,
        session_id=active.session_id,
        device_id=active.device_id,
        issued_at=to_timestamp(active.issued_at_us),
        expires_at=to_timestamp(active.expires_at_us),
        email=active.email,
        profile_kind=active.profile_kind,
    )


def public_signing_key(jwk: dict[str, str]) -> pb.PublicSigningKey:
    return pb.PublicSigningKey(
        kid=jwk["kid"], kty=jwk["kty"], crv=jwk["crv"], x=jwk["x"], alg=jwk["alg"], use=jwk["use"]
    )


def watch_event(event: SessionEvent) -> pb.WatchSessionResponse:
    """The watcher's own end is `revocation`; another session's is `account_revocation`."""
    if event.final:
        return pb.WatchSessionResponse(revocation=to_proto(event.revocation))
    return pb.WatchSessionResponse(account_revocation=to_proto(event.revocation))


revocation = to_proto


def receipt(value: Receipt) -> pb.RevocationReceipt:
    return pb.RevocationReceipt(
        sequence=value.sequence,
        validators_acknowledged=value.validators_acknowledged,
        validators_expired=value.validators_expired,
        waited_ms=value.waited_ms,
    )


def lease_grant(grant: Grant) -> pb.SyncRevocationsResponse:
    ttl = Duration()
    ttl.FromNanoseconds(round(grant.ttl_seconds * 1e9))
    return pb.SyncRevocationsResponse(
        lease=pb.LeaseGrant(applied_sequence=grant.applied_sequence, head_sequence=grant.head_sequence, ttl=ttl)
    )
