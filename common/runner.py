"""One runner for the four processes: `run("auth_service", main)` in each `__main__.py`.

It sets up logging (common.logs: one JSON object per line on stderr) and tracing
(common.tracing: only when OTEL_EXPORTER_OTLP_ENDPOINT is set), runs `main()` on a fresh
event loop, and turns a SystemExit with a message (a missing certificate, a bad setting)
into one line on stderr, `<process> cannot start: <message>`, and exit code 1: never a
traceback. That line is a log line too (logger `common.runner`, level critical), so a
process's output stays one JSON object per line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from common import logs, tracing

log = logging.getLogger(__name__)


def run(process: str, main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    logs.configure(process)
    try:
        tracing.configure(process)
        asyncio.run(main())
    except SystemExit as stop:
        if isinstance(stop.code, str):
            log.critical("%s cannot start: %s", process, stop.code)
            raise SystemExit(1) from None
        raise
    except KeyboardInterrupt:
        pass
