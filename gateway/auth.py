"""Who is calling: a bearer token validated here (gateway.validation), or an OAuth client of GATEWAY_OAUTH_CLIENTS.

The gateway checks tokens itself, with no call to auth_service: the signature with
the public keys of ListSigningKeys, then its revocation replica (gateway.validation).
The caller has the shape of auth_service's ValidateTokenResponse (account, session,
device, the token's expiry, and the profile the session entered: "owner", "standard",
"kids", or "" before one is selected, when the session acts as the account holder),
built from the token's claims. A session in a kids profile gets no account settings.

Account-level changes also need a recent authentication: the account password
entered on this session, under the profile selected now, within STEP_UP_SECONDS
(auth_service keeps it on the session: signing in counts, ConfirmPassword renews
it, selecting another profile ends it). The gateway asks GetSession only on those
routes, so validating a token stays free of I/O. A body's own `password`
(models.Confirmable) is checked instead, as an inline confirmation.

Resource servers authenticate as confidential clients (RFC 6749 section 2.3.1): by
HTTP Basic or by client_id/client_secret form fields, never both.

An Authorization header must be printable ASCII of at most MAX_AUTHORIZATION
characters (an access token is about 500): anything else is refused before any
service sees it (401, `invalid_authorization_header` or invalid_client).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from collections.abc import Mapping
from urllib.parse import unquote_plus

from google.protobuf.timestamp_pb2 import Timestamp
from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2

from common.access_claims import AccessClaims
from common.errors import PermissionDenied, Unauthenticated
from gateway.bootstrap import Backends
from gateway.errors import OAuthError, invalid_client, invalid_request, missing_bearer_token

Caller = auth_pb2.ValidateTokenResponse

KIDS_PROFILE_MESSAGE = (
    "A kids profile cannot change account settings, devices or sign-outs. Switch to an adult profile first."
)
REAUTHENTICATE_MESSAGE = "Enter your account password again to make this change."


MAX_AUTHORIZATION = 4096
PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")
BAD_AUTHORIZATION = f"The Authorization header must be printable ASCII of at most {MAX_AUTHORIZATION} characters."


def well_formed(authorization: str) -> bool:
    """Printable ASCII, not too long. (aiohttp decodes header bytes as UTF-8, bytes that are not as surrogates.)"""
    return len(authorization) <= MAX_AUTHORIZATION and PRINTABLE_ASCII.fullmatch(authorization) is not None


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header, or Unauthenticated."""
    if authorization is not None and not well_formed(authorization):
        raise Unauthenticated(BAD_AUTHORIZATION, reason="invalid_authorization_header")
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise missing_bearer_token()
    return token


async def authenticate(backends: Backends, authorization: str | None) -> Caller:
    """The validated caller: Unauthenticated for a bad or revoked token, 503 (revocations_not_current) while
    this gateway's revocation replica cannot be trusted."""
    return caller_of(await authenticate_claims(backends, authorization))


async def authenticate_claims(backends: Backends, authorization: str | None) -> AccessClaims:
    """The verified claims of the bearer token (see `authenticate`)."""
    return await backends.edge.authenticate(bearer_token(authorization))


def caller_of(claims: AccessClaims) -> Caller:
    return Caller(
        account_id=claims.account_id,
        session_id=claims.session_id,
        device_id=claims.device_id,
        profile_id=claims.profile_id,
        profile_kind=claims.profile_kind,
        expires_at=Timestamp(seconds=claims.expires_at),
    )


def require_account_settings(caller: Caller) -> None:
    """PermissionDenied (kids_profile) when the caller's token is scoped to a kids profile."""
    if caller.profile_kind == "kids":
        raise PermissionDenied(KIDS_PROFILE_MESSAGE, reason="kids_profile")


async def require_recent_authentication(backends: Backends, caller: Caller, password: str | None = None) -> None:
    """Checks `password` when the request carries one (auth_service's VerifyPassword: a wrong one is 401
    wrong_password, too many 429); otherwise PermissionDenied (reauthentication_required) unless the caller's
    session entered the password under the caller's profile within STEP_UP_SECONDS."""
    if password:
        await backends.auth.VerifyPassword(
            auth_pb2.VerifyPasswordRequest(account_id=caller.account_id, password=password), timeout=backends.timeout
        )
        return
    reply: auth_pb2.GetSessionResponse = await backends.auth.GetSession(
        auth_pb2.GetSessionRequest(account_id=caller.account_id, session_id=caller.session_id),
        timeout=backends.timeout,
    )
    session = reply.session
    if not session.recently_authenticated or session.profile_id != caller.profile_id:
        raise PermissionDenied(REAUTHENTICATE_MESSAGE, reason="reauthentication_required")


def actor(caller: Caller) -> parental_pb2.Actor:
    """The caller as the author of a change, for parental_service's audit trail."""
    return parental_pb2.Actor(device_id=caller.device_id, profile_id=caller.profile_id)


def _basic(authorization: str) -> tuple[str, str] | None:
    if not well_formed(authorization):
        raise invalid_client(BAD_AUTHORIZATION)
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise invalid_client() from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise invalid_client()
    return unquote_plus(client_id), unquote_plus(secret)


def claimed_client_id(authorization: str | None, form: Mapping[str, str]) -> str:
    """The client id a request claims, unchecked ("" when it cannot be read), for throttling."""
    try:
        from_header = _basic(authorization) if authorization else None
    except OAuthError:
        from_header = None
    return from_header[0] if from_header else form.get("client_id", "")


def authenticate_client(
    clients: tuple[tuple[str, str], ...], authorization: str | None, form: Mapping[str, str]
) -> str:
    """The authenticated client's id, or invalid_client; secrets compare in constant time."""
    from_header = _basic(authorization) if authorization else None
    in_form = "client_id" in form or "client_secret" in form
    if from_header and in_form:
        raise invalid_request("Authenticate the client one way only: HTTP Basic or form fields, not both.")
    client_id, secret = from_header or (form.get("client_id", ""), form.get("client_secret", ""))
    matched = False
    for known_id, known_secret in clients:
        same_id = hmac.compare_digest(known_id.encode(), client_id.encode())
        same_secret = hmac.compare_digest(known_secret.encode(), secret.encode())
        matched |= same_id and same_secret
    if not client_id or not secret or not matched:
        raise invalid_client()
    return client_id
