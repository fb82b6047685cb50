"""The log line (common.logs) and the request id (common.request_id)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest
from aiohttp.http_exceptions import BadHttpMessage, HttpProcessingError, LineTooLong

from common import logs, request_id
from tests.log_capture import captured_lines


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """A JSON handler of process "test" on the root logger, at DEBUG, writing to the StringIO."""
    with captured_lines() as captured:
        yield captured.written


def parsed(written: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in written.getvalue().splitlines()]


def test_a_line_has_the_agreed_keys_first_then_its_fields_and_no_other_extra(lines: io.StringIO) -> None:
    token = request_id.bind("req-1")
    try:
        logging.getLogger("common.rpc_log").info(
            "rpc %s", "finished", extra={"rpc": "/a.B/C", "grpc_code": "OK", "duration_ms": 1.5, "secret": "x"}
        )
    finally:
        request_id.reset(token)
    logging.getLogger("elsewhere").warning("no request")
    first, second = parsed(lines)
    assert list(first)[:6] == ["time", "level", "process", "logger", "message", "request_id"]
    assert first["level"] == "info" and first["process"] == "test" and first["logger"] == "common.rpc_log"
    assert first["message"] == "rpc finished" and first["request_id"] == "req-1"
    assert (first["rpc"], first["grpc_code"], first["duration_ms"]) == ("/a.B/C", "OK", 1.5)
    assert "secret" not in first  # only the fields of logs.FIELDS
    assert str(first["time"]).endswith("Z") and "T" in str(first["time"])
    assert second["request_id"] is None and second["level"] == "warning"


def test_an_exception_is_one_line_with_its_traceback(lines: io.StringIO) -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("x").exception("unexpected")
    [line] = lines.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "error" and "RuntimeError: boom" in str(entry["exception"])


def test_structlog_loggers_write_the_same_line(lines: io.StringIO) -> None:
    import structlog

    structlog.configure(
        processors=[structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    structlog.get_logger("native").info("hello", route="/v1/x")
    [entry] = parsed(lines)
    assert (entry["message"], entry["logger"], entry["route"], entry["process"]) == ("hello", "native", "/v1/x", "test")


def _record(name: str, error: BaseException) -> logging.LogRecord:
    return logging.LogRecord(
        name,
        logging.ERROR,
        __file__,
        1,
        "Error handling request from %s",
        ("1.2.3.4",),
        (
            type(error),
            error,
            None,
        ),
    )


@pytest.mark.parametrize(
    "error", [LineTooLong("/v1/x?access_token=secret", 65536), BadHttpMessage("bad header")], ids=repr
)
def test_a_request_aiohttp_could_not_parse_is_info_without_its_text(error: BaseException) -> None:
    record = _record("aiohttp.server", error)
    assert logs.CallerMistakes().filter(record)
    assert record.levelno == logging.INFO and record.exc_info is None
    assert "secret" not in record.getMessage() and type(error).__name__ in record.getMessage()


def test_a_server_error_of_aiohttp_and_a_bug_elsewhere_stay_errors() -> None:
    for record in (
        _record("aiohttp.server", HttpProcessingError(code=500, message="x")),
        _record("aiohttp.server", RuntimeError("a bug")),
        _record("grpc._cython.cygrpc", RuntimeError("a bug")),
    ):
        assert logs.CallerMistakes().filter(record)
        assert record.levelno == logging.ERROR and record.exc_info is not None


def test_a_cancelled_stream_reported_by_grpc_is_info() -> None:
    record = _record("grpc._cython.cygrpc", asyncio.CancelledError())
    logs.CallerMistakes().filter(record)
    assert record.levelno == logging.INFO and record.exc_info is None


def test_what_is_written_to_stderr_directly_becomes_log_lines(lines: io.StringIO) -> None:
    real = io.StringIO()
    stderr = logs.StderrLines(real)
    stderr.write("Traceback (most recent call last):\n")
    stderr.write('  File "x.pyx", line 812, in f\n')
    stderr.write("asyncio.exceptions.CancelledError\n")
    print("Exception ignored in: <x>", file=stderr)
    stderr.write('Traceback (most recent call last):\n  File "y", line 1\nValueError: no')
    stderr.flush()
    cancelled, ignored, failed = parsed(lines)
    assert cancelled["logger"] == "stderr" and cancelled["level"] == "info"
    assert str(cancelled["message"]).splitlines()[-1] == "asyncio.exceptions.CancelledError"
    assert ignored["level"] == "warning" and ignored["message"] == "Exception ignored in: <x>"
    assert failed["level"] == "error" and str(failed["message"]).endswith("ValueError: no")
    assert real.getvalue() == ""


def test_configure_replaces_stderr_and_writes_to_the_real_one(monkeypatch: pytest.MonkeyPatch) -> None:
    real = io.StringIO()
    monkeypatch.setattr(sys, "stderr", real)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        logs.configure("auth_service")
        print("written directly", file=sys.stderr)
        logging.getLogger("x").info("logged")
        logs.configure("auth_service")  # again: still one handler, still the real stderr
        logging.getLogger("x").info("again")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.captureWarnings(False)
    entries = [json.loads(line) for line in real.getvalue().splitlines()]
    assert [entry["message"] for entry in entries] == ["written directly", "logged", "again"]
    assert {entry["process"] for entry in entries} == {"auth_service"}


@pytest.mark.parametrize("sent", ["4bf92f3577b34da6a3ce929d0e0e4736", "req.1_a-B", "x" * 64])
def test_a_safe_request_id_is_honoured(sent: str) -> None:
    assert request_id.accept(sent) == sent
    assert request_id.accept(sent.encode()) == sent


@pytest.mark.parametrize("sent", [None, "", "x" * 65, "a b", 'a"b', "a\nb", "é", "<script>", "a/b", "a;b"])
def test_anything_else_is_replaced_by_a_new_id_never_reflected(sent: str | None) -> None:
    made = request_id.accept(sent)
    assert made != sent and len(made) == 32 and int(made, 16) >= 0
    assert request_id.accept(sent) != made  # new each time


CAPTURED = """
import asyncio, logging, os, sys, traceback
from common import logs
logs.configure("auth_service")
logging.getLogger("x").info("logged")
os.write(2, b"E0000 00:00:1764118921.123456    1234 ssl_transport_security.cc:1884] Handshake failed\\n")
try:
    raise asyncio.CancelledError()
except BaseException:
    traceback.print_exc()
print("Exception ignored in: <x>", file=sys.stderr)
"""


def test_in_a_process_even_what_c_code_writes_to_descriptor_2_becomes_a_log_line() -> None:
    import os
    import pathlib
    import subprocess

    repo = pathlib.Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo), str(repo / "protos" / "python")])}
    result = subprocess.run(
        [sys.executable, "-c", CAPTURED], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    entries = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    by_logger = {entry["logger"]: entry for entry in entries if entry["logger"] != "stderr"}
    assert by_logger["x"]["message"] == "logged"
    assert by_logger["grpc.core"]["level"] == "warning" and "Handshake failed" in by_logger["grpc.core"]["message"]
    python = [entry for entry in entries if entry["logger"] == "stderr"]
    assert [(entry["level"], entry["message"].splitlines()[-1]) for entry in python] == [
        ("info", "asyncio.exceptions.CancelledError"),
        ("warning", "Exception ignored in: <x>"),
    ]
