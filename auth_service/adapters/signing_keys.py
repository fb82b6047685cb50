"""Where signing keys come from: $AUTH_SIGNING_KEYS, or the database.

AUTH_SIGNING_KEYS is "kid:hexsecret,kid:hexsecret"; the last one signs. Without
it, keys live in the signing_keys table and one is created on first start, so
a restart signs no one out.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from auth_service.adapters.access_tokens import SigningKey
from auth_service.adapters.orm import SigningKeyRow
from common.clock import now_us


def parse_keys(spec: str) -> list[SigningKey]:
    keys = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key_id, _, secret = item.partition(":")
        try:
            raw = bytes.fromhex(secret)
        except ValueError:
            raise SystemExit("AUTH_SIGNING_KEYS: each key is kid:hexsecret") from None
        if not key_id or len(raw) < 32:
            raise SystemExit("AUTH_SIGNING_KEYS: each key needs a kid and at least 32 bytes of secret")
        keys.append(SigningKey(key_id, raw))
    return keys


def load_or_create_keys(engine: Engine) -> list[SigningKey]:
    with Session(engine) as db, db.begin():
        rows = db.scalars(select(SigningKeyRow).order_by(SigningKeyRow.created_at_us)).all()
        if not rows:
            key = SigningKey.generate()
            db.add(SigningKeyRow(key_id=key.key_id, secret=key.secret, created_at_us=now_us()))
            return [key]
        return [SigningKey(row.key_id, row.secret) for row in rows]
