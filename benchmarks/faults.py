"""python -m benchmarks.faults: the cluster under steady load while its parts fail, as figures.

`make faults` runs it. A cluster (tools.cluster) starts on free ports with throw-away databases;
worker threads sign in, validate (`GET /v1/session`) and sign out through HAProxy without pause.
Then, one phase at a time:

- `kill -9` each replica in turn (auth_service, device_service-1, parental_service-1, gateway-1),
  restarting it after `--down-seconds`;
- a PostgreSQL restart (`--postgres-restart`, the command given; the services are not restarted).

Each phase reports the requests and errors of each kind while it ran, and the revocations it lost:
a sign-out answered 200 whose token any gateway still accepts afterwards, or whose device
device_service still lists as signed in once the feed has had time to catch up. An error answer
claims nothing, so it is not a loss whatever it left behind. Writes benchmarks/results/faults.json.
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from tools.cluster import Cluster, ClusterConfig, drop_databases
from tools.json_http import call

PASSWORD = "correct horse battery"
DEFAULT_POSTGRES_RESTART = "pg_ctlcluster 15 main restart -m fast"
KINDS = ("sign_in", "validate", "sign_out")
# The sign-in throttle would refuse a steady load from one address (tests/fuzz/harness.py says why).
UNTHROTTLED = {name: "1000000" for name in ("SOURCE_THROTTLE_AFTER", "SIGN_IN_THROTTLE_AFTER", "DEVICE_THROTTLE_AFTER")}


@dataclass
class Phase:
    """What happened while one fault was in effect."""

    name: str
    requests: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    error_statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    revoked: list[dict[str, str]] = field(default_factory=list)
    lost: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "phase": self.name,
            "requests": sum(self.requests.values()),
            "errors": sum(self.errors.values()),
            "by_kind": {kind: [self.requests[kind], self.errors[kind]] for kind in KINDS},
            "error_statuses": {str(k): v for k, v in sorted(self.error_statuses.items())},
            "revocations_answered": len(self.revoked),
            "revocations_lost": self.lost,
        }


class SteadyLoad:
    """Worker threads that sign a device in, validate its token and sign it out, again and again.

    Every answer is counted against the current phase; every sign-out answered 200 is kept, so
    that `lost` can check afterwards that it is enforced.
    """

    def __init__(self, base: str, email: str, workers: int = 3) -> None:
        self.base = base
        self.email = email
        self.phase = Phase("warm-up")
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(workers)]

    def __enter__(self) -> SteadyLoad:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def begin(self, name: str) -> Phase:
        with self.lock:
            self.phase = Phase(name)
            return self.phase

    def _count(self, kind: str, status: int) -> None:
        with self.lock:
            self.phase.requests[kind] += 1
            if status != 200:
                self.phase.errors[kind] += 1
                self.phase.error_statuses[status] += 1

    def _run(self, worker: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            device = {"client_id": f"load-{worker}-{n}", "name": "load", "type": "phone"}
            reply = _call(
                self.base, "POST", "/v1/sign-in", {"email": self.email, "password": PASSWORD, "device": device}
            )
            self._count("sign_in", reply.status)
            if reply.status != 200:
                time.sleep(0.05)
                continue
            session = reply.body
            self._count("validate", _call(self.base, "GET", "/v1/session", token=session["access_token"]).status)
            reply = _call(self.base, "POST", "/v1/sign-out", token=session["access_token"])
            self._count("sign_out", reply.status)
            if reply.status == 200:
                with self.lock:
                    self.phase.revoked.append(session)


def _call(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    try:
        return call(base, method, path, body, token)
    except OSError:  # HAProxy closed the connection, or nothing listened: an error answer, nothing claimed
        return _NoAnswer()


class _NoAnswer:
    status = 0
    body = None


def lost(phase: Phase, gateways: list[str], keeper_token: str, base: str, settle_seconds: float = 15.0) -> int:
    """The phase's revocations answered 200 that are not enforced everywhere."""
    accepted = {
        session["session_id"]
        for session in phase.revoked
        for gateway in gateways
        if call(gateway, "GET", "/v1/session", token=session["access_token"]).status != 401
    }
    wanted = {session["device_id"] for session in phase.revoked}
    deadline = time.monotonic() + settle_seconds
    while True:
        statuses = device_statuses(base, keeper_token)
        listed_active = {device for device in wanted if statuses.get(device) != "signed_out"}
        if not listed_active or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    return len(accepted) + len(listed_active)


def device_statuses(base: str, token: str) -> dict[str, str]:
    statuses: dict[str, str] = {}
    page = ""
    while True:
        reply = call(base, "GET", f"/v1/devices?include_inactive=true&page_size=100&page_token={page}", token=token)
        if reply.status != 200:
            raise RuntimeError(f"listing devices failed: {reply.status} {reply.body}")
        statuses.update({d["device_id"]: d["status"] for d in reply.body["devices"]})
        page = reply.body.get("next_page_token", "")
        if not page:
            return statuses


def run(args: argparse.Namespace, root: pathlib.Path) -> list[dict[str, Any]]:
    config = ClusterConfig.on_free_ports(
        root / "data", database_prefix=f"rs_faults_{uuid.uuid4().hex[:8]}", extra_env=UNTHROTTLED
    )
    cluster = Cluster(config, log_dir=root / "logs")
    phases: list[Phase] = []
    try:
        cluster.start()
        base = config.gateway_url
        email = f"faults-{uuid.uuid4().hex[:8]}@example.com"
        assert call(base, "POST", "/v1/accounts", {"email": email, "password": PASSWORD}).status == 201
        device = {"client_id": "keeper", "name": "keeper", "type": "computer"}
        keeper = call(base, "POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device}).body
        victims = [
            r.name
            for s in ("auth_service", "device_service", "parental_service", "gateway")
            for r in config.replicas(s)[:1]
        ]
        with SteadyLoad(base, email, args.workers) as load:
            time.sleep(1.0)
            phases.append(load.begin("steady (no fault)"))
            time.sleep(args.down_seconds + args.after_seconds)
            for victim in victims:
                phases.append(load.begin(f"kill -9 {victim}"))
                cluster.suite.stop_child(victim, signal.SIGKILL)
                time.sleep(args.down_seconds)
                cluster.suite.start_child(victim)
                time.sleep(args.after_seconds)
            if args.postgres_restart:
                phases.append(load.begin("PostgreSQL restart"))
                subprocess.run(shlex.split(args.postgres_restart), check=True, capture_output=True)
                time.sleep(args.after_seconds * 2)
            load.begin("after")
        for phase in phases:
            phase.lost = lost(phase, config.gateway_urls, keeper["access_token"], base)
        cluster.suite.check_alive()  # no service had to be restarted by hand after PostgreSQL came back
        return [phase.summary() for phase in phases]
    finally:
        cluster.stop()
        drop_databases(config)


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| phase | requests | errors | sign-in / validate / sign-out errors | revocations answered 200 | lost |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        kinds = " / ".join(f"{row['by_kind'][k][1]} of {row['by_kind'][k][0]}" for k in KINDS)
        lines.append(
            f"| {row['phase']} | {row['requests']} | {row['errors']} | {kinds} | "
            f"{row['revocations_answered']} | {row['revocations_lost']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--down-seconds", type=float, default=2.0, help="how long a killed replica stays down")
    parser.add_argument("--after-seconds", type=float, default=2.0, help="load after each restart, same phase")
    parser.add_argument(
        "--postgres-restart",
        default=DEFAULT_POSTGRES_RESTART,
        help="the command that restarts PostgreSQL ('' skips that phase)",
    )
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("benchmarks/results/faults.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="faults-") as tmp:
        rows = run(args, pathlib.Path(tmp))
    print(table(rows))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"phases": rows, "args": vars(args) | {"out": str(args.out)}}, indent=2) + "\n")
    return 1 if any(row["revocations_lost"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
