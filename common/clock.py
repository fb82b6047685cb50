"""Time in integer microseconds since the epoch, and conversion to protobuf."""

from __future__ import annotations

import time

from google.protobuf.timestamp_pb2 import Timestamp


def now_us() -> int:
    return time.time_ns() // 1000


def to_timestamp(micros: int | None) -> Timestamp | None:
    if micros is None:
        return None
    stamp = Timestamp()
    stamp.FromMicroseconds(micros)
    return stamp


def from_timestamp(stamp: Timestamp) -> int:
    return stamp.ToMicroseconds()
