"""Page sizes and opaque page tokens for List calls."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import TypeVar

from common.errors import InvalidArgument
from common.numbers import MAX_INT64

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100

BAD_TOKEN = "page_token is not valid: pass the next_page_token of a previous page, or leave it empty."


def page_size(requested: int) -> int:
    """0 means the default; above the maximum is cut to the maximum."""
    if requested < 0:
        raise InvalidArgument(f"page_size must be 0 to {MAX_PAGE_SIZE}, got {requested}.")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode_token(moment: int, key: str) -> str:
    raw = json.dumps([moment, key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> tuple[int, str] | None:
    """The cursor (moment, key) a token carries; None for an empty token."""
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        moment, key = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, RecursionError):
        raise InvalidArgument(BAD_TOKEN) from None
    if type(moment) is not int or not 0 <= moment <= MAX_INT64 or not isinstance(key, str) or len(key) > 200:
        raise InvalidArgument(BAD_TOKEN)
    return moment, key


T = TypeVar("T")


def cut(items: list[T], limit: int, cursor_of: Callable[[T], tuple[int, str]]) -> tuple[list[T], str]:
    """Items fetched with limit + 1: the page, and the token of the next one ("" if none)."""
    if len(items) <= limit:
        return items, ""
    items = items[:limit]
    return items, encode_token(*cursor_of(items[-1]))
