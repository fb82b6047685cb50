"""Keyset pagination, newest first, shared by every list query."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from device_service.service_layer.unit_of_work import Cursor

Query = TypeVar("Query", bound="Select[*tuple[Any, ...]]")


def newest_first(
    query: Query, moment: InstrumentedAttribute[int], key: InstrumentedAttribute[str], limit: int, after: Cursor | None
) -> Query:
    """`query` ordered by (moment, key) descending, after the cursor, at most `limit` rows."""
    if after is not None:
        seen, last_key = after
        query = query.where(or_(moment < seen, and_(moment == seen, key < last_key)))
    return query.order_by(moment.desc(), key.desc()).limit(limit)
