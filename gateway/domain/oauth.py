"""OAuth 2.0 token revocation (RFC 7009) and introspection (RFC 7662): the requests and answers.

Resource servers authenticate as confidential clients, by HTTP Basic
(RFC 6749 section 2.3.1) or by client_id/client_secret form fields, never both.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote_plus

from common.errors import DomainError

TOKEN_TYPE_HINTS = ("access_token", "refresh_token")
MAX_FORM_VALUE = 4096


class OAuthError(DomainError):
    """Raised for an OAuth endpoint's error, answered as {"error": code} (RFC 6749 section 5.2).

    `invalid_request` is HTTP 400, `invalid_client` HTTP 401 with WWW-Authenticate: Basic.
    """

    def __init__(self, error: str, message: str, status: int) -> None:
        super().__init__(message, reason=error)
        self.status = status


def invalid_request(message: str) -> OAuthError:
    return OAuthError("invalid_request", message, 400)


def invalid_client() -> OAuthError:
    return OAuthError("invalid_client", "Client authentication failed.", 401)


@dataclass(frozen=True)
class TokenRequest:
    """A revocation or introspection request of an authenticated client."""

    client_id: str
    token: str
    token_type_hint: str


@dataclass(frozen=True)
class Introspection:
    active: bool
    token_type: str = ""
    account_id: str = ""
    session_id: str = ""
    device_id: str = ""
    issued_at: datetime | None = None
    expires_at: datetime | None = None


def parse_clients(raw: str) -> tuple[tuple[str, str], ...]:
    """("id", "secret") pairs from "id:secret,id2:secret2"; a malformed entry stops start-up."""
    clients = []
    for entry in raw.split(","):
        client_id, sep, secret = entry.strip().partition(":")
        if not sep or not client_id or not secret:
            raise SystemExit("GATEWAY_OAUTH_CLIENTS must be 'id:secret,id2:secret2' with no empty id or secret")
        clients.append((client_id, secret))
    return tuple(clients)


def _basic(authorization: str) -> tuple[str, str] | None:
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


def authenticate_client(clients: tuple[tuple[str, str], ...], authorization: str | None,
                        form: Mapping[str, str]) -> str:
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


def token_request(client_id: str, form: Mapping[str, str]) -> TokenRequest:
    token = form.get("token", "")
    if not token:
        raise invalid_request("The 'token' parameter is required.")
    if len(token) > MAX_FORM_VALUE:
        raise invalid_request(f"'token' must be at most {MAX_FORM_VALUE} characters.")
    hint = form.get("token_type_hint", "")
    return TokenRequest(client_id, token, hint if hint in TOKEN_TYPE_HINTS else "")
