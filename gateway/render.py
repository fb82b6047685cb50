"""The one place protobuf becomes JSON: a response model (gateway.models) names the fields, this fills them.

Each field of the model is read from the message field of the same name (or the one
its `From` names), or from a value the caller passes, or is the field's default:

    Timestamp            ISO 8601 in UTC with a Z ("2025-01-02T03:04:05.678901Z"); an `int`
                         field gets the epoch seconds; null when unset
    enum                 its word from the one enum table: DEVICE_TYPE_STREAMING_PLAYER is
                         "streaming_player", MATURITY_LEVEL_7_PLUS is "7+"; 0 is null where allowed
    message, repeated    the nested model, recursively; an unset message is null where allowed
    string               as is; "" is null where the model allows null

A value passed in that is a message (or a common.revocation.Revocation) is rendered
the same way; anything else is taken as JSON already.

`csv_document` writes rows of such JSON as CSV (RFC 4180), safe to open in a spreadsheet.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.descriptor import EnumDescriptor, FieldDescriptor
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from common import revocation_proto
from common.revocation import Revocation
from gateway.models import From


def iso(moment: datetime | None) -> str | None:
    """ISO-8601 in UTC with a Z, or None for a time that never happened."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _moment(stamp: Timestamp) -> datetime:
    return datetime.fromtimestamp(0, UTC) + timedelta(microseconds=stamp.ToMicroseconds())


# --- the enum table ------------------------------------------------------------------------------------------


def _prefix(enum: EnumDescriptor) -> str:
    """DeviceType -> "DEVICE_TYPE_": every value of an enum starts with its name in upper snake case."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum.name).upper() + "_"


@functools.cache
def words(enum: EnumDescriptor) -> dict[int, str]:
    """Every value of `enum` but UNSPECIFIED (0) by its lowercase word ("7_PLUS" is "7+")."""
    prefix = _prefix(enum)
    return {
        value.number: re.sub(r"_plus$", "+", value.name.removeprefix(prefix).lower())
        for value in enum.values
        if value.number
    }


def enum_name(enum: EnumDescriptor, word: str | None) -> str:
    """The name of the value of `enum` that `word` names ("7+" is MATURITY_LEVEL_7_PLUS), for a request
    message's constructor; UNSPECIFIED for None."""
    return _prefix(enum) + (word.upper().replace("+", "_PLUS") if word is not None else "UNSPECIFIED")


def word(enum: EnumDescriptor, value: int) -> str:
    return words(enum).get(value, "unspecified")


# --- models ----------------------------------------------------------------------------------------------------


def _nullable(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation)


def _nested(annotation: Any) -> type[BaseModel] | None:
    """The model of a `Model`, `Model | None` or `list[Model]` annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (list, typing.Union):
        return next((found for arg in typing.get_args(annotation) if (found := _nested(arg)) is not None), None)
    return None


def _source_name(name: str, info: FieldInfo) -> str:
    return next((meta.name for meta in info.metadata if isinstance(meta, From)), name)


def render(model: type[BaseModel], source: Message | None = None, **values: object) -> dict[str, Any]:
    """The JSON of `model`, each field from `values`, else from `source`, else its default."""
    fields = typing.cast(Mapping[str, FieldDescriptor], source.DESCRIPTOR.fields_by_name if source else {})
    answer: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in values:
            answer[name] = _value(info, values[name])
            continue
        descriptor = fields.get(_source_name(name, info))
        if source is not None and descriptor is not None:
            answer[name] = _field(info, source, descriptor)
        elif not info.is_required():
            answer[name] = info.get_default(call_default_factory=True)
        else:
            raise KeyError(f"{model.__name__}.{name}: no value and no field {name!r} in the message")
    return answer


def _value(info: FieldInfo, value: object) -> Any:
    if isinstance(value, Revocation):
        value = revocation_proto.to_proto(value)
    if isinstance(value, Message):
        nested = _nested(info.annotation)
        if nested is None:
            raise TypeError(f"a message for a field that is not a model: {info.annotation}")
        return render(nested, value)
    return value


def _field(info: FieldInfo, source: Message, descriptor: FieldDescriptor) -> Any:
    value = getattr(source, descriptor.name)
    nullable = _nullable(info.annotation)
    repeated = descriptor.is_repeated
    if descriptor.type == FieldDescriptor.TYPE_MESSAGE:
        if descriptor.message_type is not None and descriptor.message_type.full_name == Timestamp.DESCRIPTOR.full_name:
            if not source.HasField(descriptor.name):
                return None
            moment = _moment(value)
            return int(moment.timestamp()) if int in typing.get_args(info.annotation) else iso(moment)
        nested = _nested(info.annotation)
        if nested is None:
            raise TypeError(f"{descriptor.full_name} has no model in {info.annotation}")
        if repeated:
            return [render(nested, item) for item in value]
        if nullable and not source.HasField(descriptor.name):
            return None
        return render(nested, value)
    if descriptor.type == FieldDescriptor.TYPE_ENUM and descriptor.enum_type is not None:
        return None if nullable and not value else word(descriptor.enum_type, value)
    if repeated:
        return list(value)
    if nullable and value == "":
        return None
    return value


# --- CSV -------------------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """`value` as a CSV cell that no spreadsheet runs as a formula: text starting with = + - @, a tab or a carriage
    return gets a leading apostrophe (OWASP's advice against CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_document(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header row, then the rows: every cell spreadsheet-safe, quoted where it holds a comma, a quote or a line
    break, lines ending in CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(name) for name in header])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return out.getvalue()
