"""Start, watch and stop the four processes of the suite.

`Suite` launches `python -m auth_service`, `device_service`, `parental_service`
and `gateway` as child processes, waits until each gRPC service's
grpc.health.v1 Check says SERVING and the gateway's GET /healthz answers 200,
and on `stop()` sends SIGTERM to every child, waits for them, then SIGKILLs
what is left. Each child writes stdout and stderr to `<log_dir>/<name>.log`.

    with Suite(SuiteConfig.local(data_dir), log_dir=data_dir / "logs") as suite:
        ...  # every process is ready here
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from common.tls import TlsIdentity
from tools.local_secrets import prepare

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.1


class SuiteError(RuntimeError):
    """A child process died or did not become ready in time."""


def free_ports(count: int) -> list[int]:
    """`count` distinct TCP ports on 127.0.0.1 that nothing listens on right now.

    Every probe stays bound until all are chosen, so the kernel cannot hand
    out the same port twice.
    """
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@dataclass(frozen=True)
class SuiteConfig:
    """Where every process listens and keeps its data."""

    auth_address: str = "127.0.0.1:50051"
    device_address: str = "127.0.0.1:50052"
    parental_address: str = "127.0.0.1:50053"
    gateway_address: str = "127.0.0.1:8080"
    auth_metrics_port: int = 9101
    device_metrics_port: int = 9102
    parental_metrics_port: int = 9103
    metrics_host: str = "127.0.0.1"
    data_dir: pathlib.Path = pathlib.Path("data")
    extra_env: Mapping[str, str] = field(default_factory=dict)
    canary_metrics_port: int = 0
    """The stale-accept canary's metrics port (`python -m canary`); 0: no canary (the tests' default)."""

    @staticmethod
    def on_free_ports(data_dir: pathlib.Path, extra_env: Mapping[str, str] | None = None) -> SuiteConfig:
        """Every address and metrics port on a free port of 127.0.0.1 (tests, benchmarks, tools)."""
        auth, device, parental, gateway, auth_metrics, device_metrics, parental_metrics = free_ports(7)
        return SuiteConfig(
            auth_address=f"127.0.0.1:{auth}",
            device_address=f"127.0.0.1:{device}",
            parental_address=f"127.0.0.1:{parental}",
            gateway_address=f"127.0.0.1:{gateway}",
            auth_metrics_port=auth_metrics,
            device_metrics_port=device_metrics,
            parental_metrics_port=parental_metrics,
            data_dir=data_dir,
            extra_env=dict(extra_env or {"GRACE_SECONDS": "2"}),
        )

    @property
    def gateway_url(self) -> str:
        return f"http://{self.gateway_address}"

    def metrics_urls(self) -> dict[str, str]:
        """The Prometheus endpoint of every process, by process name."""
        urls = {
            name: f"http://{self.metrics_host}:{port}/metrics"
            for name, port in (
                ("auth_service", self.auth_metrics_port),
                ("device_service", self.device_metrics_port),
                ("parental_service", self.parental_metrics_port),
            )
            if port
        }
        urls["gateway"] = f"{self.gateway_url}/metrics"
        if self.canary_metrics_port:
            urls["canary"] = f"http://{self.metrics_host}:{self.canary_metrics_port}/metrics"
        return urls

    @property
    def pki_dir(self) -> pathlib.Path:
        """The local CA and certificates (tools.local_secrets), which every child reads."""
        return pathlib.Path(self.data_dir) / "secrets" / "pki"

    def env(self) -> dict[str, str]:
        """The environment variables every child gets on top of ours."""
        return {
            "AUTH_ADDRESS": self.auth_address,
            "DEVICE_ADDRESS": self.device_address,
            "PARENTAL_ADDRESS": self.parental_address,
            "GATEWAY_ADDRESS": self.gateway_address,
            "AUTH_METRICS_PORT": str(self.auth_metrics_port),
            "DEVICE_METRICS_PORT": str(self.device_metrics_port),
            "PARENTAL_METRICS_PORT": str(self.parental_metrics_port),
            "METRICS_HOST": self.metrics_host,
            "REMOTESIGNOUT_DATA_DIR": str(self.data_dir),
            # A local suite is a demo: the gateway accepts the demo OAuth client.
            "GATEWAY_DEMO_MODE": "1",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }


def grpc_serving(address: str, peer: str, pki_dir: pathlib.Path) -> Callable[[], bool]:
    """A probe: does grpc.health.v1 Check on `address` (the process `peer`) answer SERVING?

    It calls over mutual TLS as the `operator` identity, which may call health only.
    """

    identities: list[TlsIdentity] = []  # loaded at the first probe: the suite makes the PKI when it starts

    def probe() -> bool:
        if not identities:
            identities.append(TlsIdentity.from_dir("operator", pki_dir))
        with identities[0].sync_channel(address, peer) as channel:
            try:
                reply = health_pb2_grpc.HealthStub(channel).Check(  # type: ignore[attr-defined]  # stubs lack it
                    health_pb2.HealthCheckRequest(service=""), timeout=1.0
                )
            except grpc.RpcError:
                return False
        return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)

    return probe


def http_ok(url: str) -> Callable[[], bool]:
    """A probe: does GET `url` answer 200?"""

    def probe() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1.0) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    return probe


@dataclass(frozen=True)
class Child:
    """One process of the suite: its name, command line, readiness probe, and the environment
    variables it gets on top of the suite's (a replica's own address and metrics port)."""

    name: str
    argv: Sequence[str]
    ready: Callable[[], bool]
    env: Mapping[str, str] = field(default_factory=dict)


def standard_children(config: SuiteConfig, python: str = sys.executable) -> list[Child]:
    """The four processes of docs/architecture.md ("Processes"), in start-up order, and the canary if asked for."""
    return [
        Child(
            "auth_service",
            [python, "-m", "auth_service"],
            grpc_serving(config.auth_address, "auth_service", config.pki_dir),
        ),
        Child(
            "device_service",
            [python, "-m", "device_service"],
            grpc_serving(config.device_address, "device_service", config.pki_dir),
        ),
        Child(
            "parental_service",
            [python, "-m", "parental_service"],
            grpc_serving(config.parental_address, "parental_service", config.pki_dir),
        ),
        Child("gateway", [python, "-m", "gateway"], http_ok(f"{config.gateway_url}/healthz")),
        *(
            [canary_child(config.canary_metrics_port, config.metrics_host, config.gateway_url, python)]
            if config.canary_metrics_port
            else []
        ),
    ]


def canary_child(
    metrics_port: int, metrics_host: str, api_url: str, python: str, validators: Mapping[str, str] | None = None
) -> Child:
    """The stale-accept canary (`python -m canary`): the public API at `api_url`, probing each of `validators`
    (name -> URL; default: `api_url` itself); ready once its metrics answer."""
    env = {"CANARY_API_URL": api_url, "CANARY_METRICS_PORT": str(metrics_port)}
    if validators:
        env["CANARY_VALIDATOR_URLS"] = ",".join(f"{name}={url}" for name, url in validators.items())
    return Child("canary", [python, "-m", "canary"], http_ok(f"http://{metrics_host}:{metrics_port}/metrics"), env)


def tail(path: pathlib.Path, lines: int = 20) -> str:
    """The last `lines` lines of a log file, or a note that it is empty."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log file)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


class Suite:
    """The running suite; `start()` returns once every process is ready."""

    def __init__(
        self,
        config: SuiteConfig,
        *,
        log_dir: pathlib.Path,
        children: Sequence[Child] | None = None,
        cwd: pathlib.Path = REPO_ROOT,
        startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
        stop_timeout: float = STOP_TIMEOUT_SECONDS,
    ) -> None:
        self.config = config
        self.log_dir = pathlib.Path(log_dir)
        self.children = list(children) if children is not None else standard_children(config)
        self.cwd = cwd
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.exit_codes: dict[str, int] = {}
        self.killed: list[str] = []

    @property
    def gateway_url(self) -> str:
        return self.config.gateway_url

    def log_path(self, name: str) -> pathlib.Path:
        return self.log_dir / f"{name}.log"

    def start(self) -> None:
        """Launch every child and wait until all are ready; on failure stop them all."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        pathlib.Path(self.config.data_dir).mkdir(parents=True, exist_ok=True)
        prepare(pathlib.Path(self.config.data_dir) / "secrets")
        try:
            for child in self.children:
                self._launch(child)
            self._wait_until_ready(self.children)
        except BaseException:
            self.stop()
            raise

    def _launch(self, child: Child) -> None:
        self.exit_codes.pop(child.name, None)
        with open(self.log_path(child.name), "ab") as log:
            self.processes[child.name] = subprocess.Popen(
                child.argv,
                cwd=self.cwd,
                env={**os.environ, **self.config.env(), **child.env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us; we stop the children
            )

    def stop_child(self, name: str, signum: signal.Signals = signal.SIGTERM) -> int:
        """Stop one child with `signum` (SIGTERM; SIGKILL for a crash) to test what happens while it is
        down; returns its exit code."""
        process = self.processes[name]
        _signal(process, signum)
        try:
            process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            _signal(process, signal.SIGKILL)
            process.wait()
        self.exit_codes[name] = process.returncode
        return process.returncode

    def start_child(self, name: str) -> None:
        """Start a stopped child again and wait until it is ready."""
        child = next(c for c in self.children if c.name == name)
        self._launch(child)
        self._wait_until_ready([child])

    def _wait_until_ready(self, children: Sequence[Child]) -> None:
        deadline = time.monotonic() + self.startup_timeout
        waiting = list(children)
        while waiting:
            self.check_alive()
            waiting = [child for child in waiting if not child.ready()]
            if not waiting:
                return
            if time.monotonic() > deadline:
                child = waiting[0]
                raise SuiteError(
                    f"{child.name} was not ready within {self.startup_timeout:.0f} s; "
                    f"last lines of {self.log_path(child.name)}:\n{tail(self.log_path(child.name))}"
                )
            time.sleep(POLL_SECONDS)

    def check_alive(self) -> None:
        """Raise SuiteError naming the first child that has exited, with its log tail."""
        for name, process in self.processes.items():
            if name in self.exit_codes:
                continue  # stopped on purpose
            code = process.poll()
            if code is not None:
                raise SuiteError(
                    f"{name} exited with code {code}; last lines of {self.log_path(name)}:\n{tail(self.log_path(name))}"
                )

    def stop(self) -> dict[str, int]:
        """SIGTERM every child, wait up to stop_timeout, SIGKILL the rest; return exit codes."""
        running = {name: p for name, p in self.processes.items() if name not in self.exit_codes}
        for process in running.values():
            if process.poll() is None:
                _signal(process, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for name, process in running.items():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.killed.append(name)
                _signal(process, signal.SIGKILL)
                process.wait()
            self.exit_codes[name] = process.returncode
        return dict(self.exit_codes)

    def __enter__(self) -> Suite:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _signal(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signum)
