"""The log lines a test's code writes, as common.logs formats them (JSON, the request id of the moment)."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

from common import logs


class Lines:
    def __init__(self) -> None:
        self.written = io.StringIO()

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.written.getvalue().splitlines()]

    def of(self, logger: str) -> list[dict[str, Any]]:
        return [entry for entry in self.entries() if entry["logger"] == logger]


@contextlib.contextmanager
def captured_lines(process: str = "test", level: int = logging.DEBUG) -> Iterator[Lines]:
    lines = Lines()
    handler = logging.StreamHandler(lines.written)
    handler.setFormatter(logs.formatter(process))
    handler.addFilter(logs.CallerMistakes())
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
