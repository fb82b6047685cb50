"""One runner for the four processes: `run("auth_service", main)` in each `__main__.py`.

It sets up logging, runs `main()` on a fresh event loop, and turns a SystemExit
with a message (a missing certificate, a bad setting) into one line on stderr,
`<process> cannot start: <message>`, and exit code 1: never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any


def configure_logging(process: str) -> None:
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {process} %(levelname)s %(name)s: %(message)s")


def run(process: str, main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    configure_logging(process)
    try:
        asyncio.run(main())
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(f"{process} cannot start: {stop.code}", file=sys.stderr)
            raise SystemExit(1) from None
        raise
    except KeyboardInterrupt:
        pass
