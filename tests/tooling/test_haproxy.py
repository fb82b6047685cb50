"""tools.haproxy: Debian's HAProxy accepts both configurations, and a real HAProxy in front of two
stand-in gateways balances, health-checks, forwards the client's address and keeps event streams open."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import itertools
import json
import pathlib
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from aiohttp import web

from tests.support import free_port, require_service
from tools import haproxy

REPO = pathlib.Path(__file__).resolve().parents[2]
COMPOSE_CFG = REPO / "deploy" / "haproxy" / "haproxy.cfg"


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        require_service("haproxy is not installed (apt-get install haproxy)")
    assert found
    return found


def check(path: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [haproxy_binary(), "-c", "-f", str(path)], capture_output=True, text=True, timeout=30, check=False
    )


def warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if "[WARNING]" in line or "[ALERT]" in line]


def test_the_local_cluster_configuration_is_valid_without_a_warning(tmp_path):
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy.render(["127.0.0.1:8081", "127.0.0.1:8082"], "127.0.0.1:8080", monitor="127.0.0.1:8404"))

    result = check(config)

    assert result.returncode == 0, result.stdout + result.stderr
    assert warnings(result) == []


def test_the_compose_configuration_is_valid_and_is_what_tools_haproxy_renders():
    assert COMPOSE_CFG.read_text() == haproxy.compose_config(), f"stale: run {haproxy.COMPOSE_COMMAND}"

    result = check(COMPOSE_CFG)

    assert result.returncode == 0, result.stdout + result.stderr
    # Off the compose network the gateways' names do not resolve; in it, Docker's DNS answers.
    assert all("could not resolve address 'gateway-" in line for line in warnings(result)), warnings(result)


def test_every_gateway_is_health_checked_on_healthz_and_balanced_round_robin():
    config = haproxy.compose_config()

    assert "    balance roundrobin\n" in config
    assert "    option httpchk GET /healthz\n    http-check expect status 200\n" in config
    assert "    option forwardfor\n" in config
    for number, address in enumerate(haproxy.COMPOSE_GATEWAYS, 1):
        assert f"    server gateway-{number} {address} " in config


def test_a_configuration_without_gateways_is_refused():
    with pytest.raises(ValueError, match="at least one gateway"):
        haproxy.render([], "127.0.0.1:8080")


# A real HAProxy in front of two stand-in gateways ------------------------------------------------------


class FakeGateway:
    """Answers /healthz (200, or 503 once `healthy` is False), /whoami (which gateway, and the forwarding
    headers it was sent), /metrics, and /v1/events: `count` keep-alives `every` seconds apart."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.healthy = True
        self.port = free_port()

    def app(self) -> web.Application:
        async def healthz(_request: web.Request) -> web.Response:
            return web.json_response({"status": "ok"}, status=200 if self.healthy else 503)

        async def whoami(request: web.Request) -> web.Response:
            return web.json_response(
                {
                    "name": self.name,
                    "forwarded_for": request.headers.getall("X-Forwarded-For", []),
                    "forwarded_proto": request.headers.getall("X-Forwarded-Proto", []),
                }
            )

        async def metrics(_request: web.Request) -> web.Response:
            return web.Response(text="gateway metrics\n")

        async def events(request: web.Request) -> web.StreamResponse:
            every, count = float(request.query["every"]), int(request.query["count"])
            response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
            await response.prepare(request)
            for number in range(count):
                await asyncio.sleep(every)
                await response.write(f": keep-alive {number}\n\n".encode())
            await response.write(b"event: done\ndata: {}\n\n")
            await response.write_eof()
            return response

        app = web.Application()
        app.router.add_get("/healthz", healthz)
        app.router.add_get("/whoami", whoami)
        app.router.add_get("/metrics", metrics)
        app.router.add_get("/v1/events", events)
        return app


@contextlib.contextmanager
def serving(gateways: list[FakeGateway]) -> Iterator[None]:
    """The stand-in gateways on their loopback ports, in an event loop of their own thread."""
    loop = asyncio.new_event_loop()
    runners: list[web.AppRunner] = []

    async def start() -> None:
        for gateway in gateways:
            runner = web.AppRunner(gateway.app())
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", gateway.port).start()
            runners.append(runner)

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield
    finally:
        for runner in runners:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def eventually(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "HAProxy did not get there in time"
        time.sleep(0.1)


@pytest.fixture
def proxy(tmp_path):
    """HAProxy on a free port before two stand-in gateways, with 1 s inactivity timeouts."""
    binary = haproxy_binary()
    gateways = [FakeGateway("gateway-1"), FakeGateway("gateway-2")]
    port, monitor = free_port(), free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        haproxy.render(
            [f"127.0.0.1:{gateway.port}" for gateway in gateways],
            f"127.0.0.1:{port}",
            monitor=f"127.0.0.1:{monitor}",
            timeouts=haproxy.Timeouts(client="1s", server="1s"),
            checks=haproxy.Checks(interval="100ms", fall=1, rise=1),
        )
    )
    with serving(gateways), (tmp_path / "haproxy.log").open("w") as log:
        process = subprocess.Popen([binary, "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"

            def both_serve() -> bool:
                with contextlib.suppress(OSError):
                    names = {json.loads(get(f"{base}/whoami")[1])["name"] for _ in range(4)}
                    return names == {"gateway-1", "gateway-2"}
                return False

            eventually(both_serve)
            yield base, f"http://127.0.0.1:{monitor}", gateways
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_requests_alternate_between_the_gateways(proxy):
    base, _, _ = proxy

    names = [json.loads(get(f"{base}/whoami")[1])["name"] for _ in range(6)]

    assert sorted(names) == ["gateway-1"] * 3 + ["gateway-2"] * 3
    assert all(first != second for first, second in itertools.pairwise(names))


def test_a_gateway_whose_healthz_fails_gets_no_requests_until_it_passes_again(proxy):
    base, _, gateways = proxy
    gateways[1].healthy = False

    eventually(lambda: {json.loads(get(f"{base}/whoami")[1])["name"] for _ in range(6)} == {"gateway-1"})
    gateways[1].healthy = True
    eventually(lambda: {json.loads(get(f"{base}/whoami")[1])["name"] for _ in range(6)} == {"gateway-1", "gateway-2"})


def test_the_gateway_sees_the_clients_address_and_scheme_and_nothing_the_client_forged(proxy):
    base, _, _ = proxy

    status, body = get(f"{base}/whoami", {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})

    assert status == 200
    seen = json.loads(body)
    assert seen["forwarded_for"] == ["127.0.0.1"]  # one header, HAProxy's word only (gateway/edge.py reads it)
    assert seen["forwarded_proto"] == ["http"]


def test_metrics_are_not_served_through_the_balancer_but_haproxy_exports_its_own(proxy):
    base, monitor, _ = proxy

    assert get(f"{base}/metrics")[0] == 404
    assert get(f"{monitor}/healthz")[0] == 200
    status, body = get(f"{monitor}/metrics")
    assert status == 200 and b"haproxy_backend_active_servers" in body


def test_an_event_stream_lives_past_the_inactivity_timeouts_while_the_gateway_keeps_it_alive(proxy):
    base, _, _ = proxy

    # 3 s in all, a keep-alive every 0.3 s, through 1 s client and server timeouts.
    status, body = get(f"{base}/v1/events?every=0.3&count=10", timeout=10)

    assert status == 200
    assert body.count(b": keep-alive") == 10 and body.endswith(b"event: done\ndata: {}\n\n")


def test_an_event_stream_that_goes_quiet_longer_than_the_timeout_is_cut(proxy):
    base, _, _ = proxy

    # What holds a stream open is the client and server timeouts, not `timeout tunnel`.
    with pytest.raises((http.client.IncompleteRead, ConnectionError)):
        get(f"{base}/v1/events?every=2&count=2", timeout=10)
