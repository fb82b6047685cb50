"""Every process's log: one JSON object per line, on stderr.

`configure(process)` (common.runner calls it first thing) gives the root logger one handler whose
formatter is structlog's ProcessorFormatter, so the suite's own `logging.getLogger(__name__)` lines and
those of every library (grpc, aiohttp, alembic, asyncio, warnings) come out alike:

    {"time": "2026-11-26T00:36:06.394Z", "level": "info", "process": "auth_service",
     "logger": "common.rpc_log", "message": "rpc finished", "request_id": "4bf92f3577b34da6a3ce929d0e0e4736",
     "rpc": "/remotesignout.auth.v1.AuthService/RevokeSessions", "grpc_code": "OK", "caller": "gateway",
     "duration_ms": 12.4}

Always there: time (ISO 8601, UTC, milliseconds), level, process, logger, message, request_id (null
outside a request: common.request_id). When tracing is on (common.tracing), trace_id and span_id of
the span the line was written in. Then only the fields of `FIELDS` a line passes in `extra`
(a library's other extras never reach the file), and `exception` (the traceback) for a line logged
with one. A message is never a secret: log the kind of a thing, not its value.

Two library lines are corrected, since they are the caller's doing, not a fault of ours: aiohttp's
"Error handling request" for a request it could not parse (a 4xx: too long a line, a bad header)
becomes INFO without the traceback and without the request's text; and grpc's report of a streaming
RPC cancelled as the server stops or the client goes away becomes INFO without a traceback. aiohttp's
own access log (`aiohttp.access`) is never written: its line holds the query string, which can hold a
token; the gateway writes its own (gateway.request_log).

LOG_LEVEL (default INFO) sets the level; LOG_FORMAT=console writes structlog's key=value lines for a
person at a terminal instead of JSON (coloured when stderr is one). Once configured, what code writes
to sys.stderr directly becomes log lines too (`StderrLines`); only what C code writes to file
descriptor 2 (grpc core's own messages) is not.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime
import faulthandler
import io
import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from typing import Any, ClassVar, TextIO, cast

import structlog
from structlog.typing import EventDict, Processor

from common import request_id

FIELDS = (
    # a finished RPC (common.rpc_log)
    "rpc",
    "grpc_code",
    "reason",
    "caller",
    # a finished HTTP request (gateway.request_log)
    "method",
    "route",
    "status",
    # both
    "duration_ms",
)
"""The extra fields a line may carry, in the order they are written."""

HANDLER_NAME = "remotesignout-json"
FIRST = ("time", "level", "process", "logger", "message", "request_id", "trace_id", "span_id")

_SpanIds = Callable[[], tuple[str, str] | None]
_span_ids: list[_SpanIds] = []
"""common.tracing registers here how to read the current span's ids, when tracing is on."""


def add_span_ids(reader: _SpanIds) -> None:
    """Write trace_id and span_id into every line logged inside a span (common.tracing, when it is on)."""
    _span_ids[:] = [reader]


def remove_span_ids() -> None:
    _span_ids.clear()


def _base(process: str) -> Processor:
    def base(logger: Any, method: str, event: EventDict) -> EventDict:
        record: logging.LogRecord | None = event.get("_record")
        created = record.created if record is not None else datetime.datetime.now(datetime.UTC).timestamp()
        event["time"] = (
            datetime.datetime.fromtimestamp(created, datetime.UTC).isoformat(timespec="milliseconds")[:-6] + "Z"
        )
        event["level"] = (record.levelname if record is not None else method).lower()
        event["process"] = process
        event["logger"] = record.name if record is not None else event.get("logger", "")
        event["request_id"] = request_id.current() or None
        if _span_ids and (ids := _span_ids[0]()) is not None:
            event["trace_id"], event["span_id"] = ids
        if record is not None and not event.get("_from_structlog"):
            for name in FIELDS:
                if name in record.__dict__:
                    event[name] = record.__dict__[name]
        return event

    return base


def _ordered(logger: Any, method: str, event: EventDict) -> EventDict:
    """The keys every line has first, in a fixed order, then the rest: a person reads the start of a line."""
    event["message"] = event.pop("event", "")
    ordered = {key: event.pop(key) for key in FIRST if key in event}
    ordered.update(event)
    return ordered


def processors(process: str, *, console: bool = False, colors: bool = False) -> list[Processor]:
    """What turns a record (a library's, or one of structlog's own loggers) into its line."""
    chain: list[Processor] = [
        _base(process),
        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
        structlog.processors.format_exc_info,
    ]
    if console:
        chain.append(structlog.dev.ConsoleRenderer(event_key="event", timestamp_key="time", colors=colors))
    else:
        chain += [_ordered, structlog.processors.JSONRenderer(default=str)]
    return chain


def formatter(process: str, *, console: bool = False, colors: bool = False) -> structlog.stdlib.ProcessorFormatter:
    return structlog.stdlib.ProcessorFormatter(processors=processors(process, console=console, colors=colors))


class CallerMistakes(logging.Filter):
    """Turns two library reports of the caller's doing into INFO lines without a traceback (module docstring),
    and drops aiohttp's access log, whose line holds the request's query."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "aiohttp.access":
            return False  # aiohttp's own access line writes the query string; gateway.request_log's replaces it
        if record.levelno < logging.ERROR or not record.exc_info:
            return True
        error = record.exc_info[1]
        if record.name == "aiohttp.server" and _is_client_error(error):
            record.msg, record.args = "refused a malformed HTTP request (%s)", (type(error).__name__,)
        elif record.name.startswith("grpc.") and isinstance(error, asyncio.CancelledError):
            record.msg, record.args = "a streaming RPC was cancelled (the server stopping or the client leaving)", ()
        else:
            return True
        record.levelno, record.levelname = logging.INFO, "INFO"
        record.exc_info, record.exc_text = None, None
        return True


def _is_client_error(error: BaseException | None) -> bool:
    """An aiohttp HttpProcessingError with a 4xx code (recognised by name: common imports no aiohttp)."""
    kinds = type(error).__mro__
    if not any(kind.__name__ == "HttpProcessingError" and kind.__module__.startswith("aiohttp") for kind in kinds):
        return False
    status = getattr(error, "code", 500)
    return isinstance(status, int) and 400 <= status < 500


class StderrLines(io.TextIOBase):
    """Text written to stderr other than through logging, turned into log lines: grpc core's own messages
    (`E1126 00:40:49.1 ... ssl_transport_security.cc:...] Handshake failed`, logger "grpc.core", at the
    level their first letter gives, E as WARNING: a peer's failed handshake is no fault of this process),
    and Python's (grpc's `traceback.print_exc()`, "Exception ignored in ...", logger "stderr"): a
    traceback one line (INFO when it ends in CancelledError, else ERROR), anything else WARNING. The
    log's own handler writes to the real stderr (`real`), never back here."""

    CONTINUES = ("Traceback (most recent call last):", "During handling of", "The above exception")
    GRPC_CORE = re.compile(r"([IWEF])\d{4} \d")
    GRPC_LEVELS: ClassVar[dict[str, int]] = {
        "I": logging.INFO,
        "W": logging.WARNING,
        "E": logging.WARNING,
        "F": logging.CRITICAL,
    }

    def __init__(self, real: TextIO) -> None:
        super().__init__()
        self.real = real
        self._pending = ""
        self._traceback: list[str] = []
        self._writing = False
        self._log = logging.getLogger("stderr")
        self._core = logging.getLogger("grpc.core")

    @property
    def encoding(self) -> str:  # type: ignore[override]  # TextIOBase's is None
        return self.real.encoding

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.real.fileno()

    def isatty(self) -> bool:
        return self.real.isatty()

    def write(self, text: str) -> int:
        if self._writing:  # the log failing and saying so on stderr: straight out
            return self.real.write(text)
        *lines, self._pending = (self._pending + text).split("\n")
        for line in lines:
            self._line(line)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._line(self._pending)
            self._pending = ""
        if self._traceback:
            self._emit_traceback()
        self.real.flush()

    def _line(self, line: str) -> None:
        if self._traceback or line.startswith(self.CONTINUES[0]):
            self._traceback.append(line)
            if line and not line[0].isspace() and not line.startswith(self.CONTINUES):
                self._emit_traceback()  # the exception's own line ends it
        elif (core := self.GRPC_CORE.match(line)) is not None:
            self._emit(self.GRPC_LEVELS[core.group(1)], line.rstrip(), self._core)
        elif line.strip():
            self._emit(logging.WARNING, line.rstrip())

    def _emit_traceback(self) -> None:
        text, self._traceback = "\n".join(self._traceback), []
        self._emit(logging.INFO if text.rstrip().endswith("CancelledError") else logging.ERROR, text)

    def _emit(self, level: int, text: str, logger: logging.Logger | None = None) -> None:
        self._writing = True
        try:
            (logger or self._log).log(level, "%s", text)
        finally:
            self._writing = False


_captured: list[TextIO] = []
"""The real stderr, once file descriptor 2 is captured (once per process)."""


def capture_descriptor_2() -> TextIO | None:
    """Point file descriptor 2 at a pipe whose text a thread turns into log lines (StderrLines), and
    return the real stderr (a duplicate of the old descriptor 2) for the log's own handler; None where
    stderr is not a file descriptor. At exit the descriptor is put back and the thread drains the pipe.
    A crash's traceback (faulthandler) goes straight to the real stderr, not through the thread."""
    if _captured:
        return _captured[0]
    try:
        sys.stderr.flush()
        sys.stderr.fileno()
        saved = os.dup(2)
    except (AttributeError, OSError, ValueError):
        return None
    real = os.fdopen(saved, "w", buffering=1, encoding="utf-8", errors="backslashreplace")
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)
    pump = threading.Thread(target=_pump, args=(read_end, StderrLines(real)), name="stderr-lines", daemon=True)
    pump.start()

    def release() -> None:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(saved, 2)  # the pipe loses its last writer: the thread reads what is left, then its end
        pump.join(timeout=2)

    atexit.register(release)
    faulthandler.enable(file=real)
    _captured.append(cast(TextIO, real))
    return _captured[0]


def _pump(read_end: int, lines: StderrLines) -> None:
    with os.fdopen(read_end, "r", encoding="utf-8", errors="replace") as pipe:
        for text in pipe:
            lines.write(text)
    lines.flush()


def configure(process: str, *, stream: TextIO | None = None, level: str | None = None) -> logging.Handler:
    """Make every log line of this process one JSON object on `stream` (stderr); returns the handler.

    With the default stream, whatever else reaches stderr becomes log lines too: through file descriptor 2
    (capture_descriptor_2) where there is one, else what Python code writes to sys.stderr (StderrLines)."""
    console = os.environ.get("LOG_FORMAT", "").strip().lower() == "console"
    captured = capture_descriptor_2() if stream is None else None
    real = sys.stderr.real if isinstance(sys.stderr, StderrLines) else sys.stderr
    out = stream or captured or real
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter(process, console=console, colors=console and out.isatty()))
    handler.addFilter(CallerMistakes())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [old for old in root.handlers if old.get_name() == HANDLER_NAME]:
        root.removeHandler(old)  # configured before (a test that runs a process's entry point twice)
    root.addHandler(handler)
    root.setLevel(_level(level or os.environ.get("LOG_LEVEL", "") or "INFO"))
    logging.captureWarnings(True)
    logging.raiseExceptions = False  # a line that cannot be written is dropped, not reported on stderr (a loop)
    # What a line does not show is not gathered for each record: its caller's file and line (a walk up the
    # stack), the thread and the process id.
    logging._srcfile = None  # the documented way to skip the caller lookup
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    structlog.configure(
        processors=[structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    if stream is None and captured is None:
        sys.stderr = cast(TextIO, StderrLines(real))
    return handler


def _level(name: str) -> int:
    level = logging.getLevelName(name.strip().upper())
    if not isinstance(level, int):
        raise SystemExit(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {name!r}")
    return level
