"""Benchmark 7: ValidateToken throughput with two auth_service replicas behind one client channel, against one.

Two auth servers (benchmarks.servers, each its own process) share one SQLite
database and one signing key, as replicas do. The same load client (two
channels, closed loop at c=16) calls either the first replica alone, or both
through one channel made the way every process makes one from an address list
(common.balancing: the target `ipv4:127.0.0.1:p1,127.0.0.1:p2`, the `round_robin`
policy and the retry policy in the service config). Rounds alternate. Each round
also records how many cores the client and each replica used (CPU seconds from
/proc and getrusage over the round's wall time), which is what limits the ratio
on a small machine.
"""

from __future__ import annotations

import os
import pathlib
import resource
import time

from cryptography.hazmat.primitives import serialization

from auth_service.adapters.access_tokens import SigningKey
from benchmarks.harness import Row, Sample, ServerProcess, Sizes, Validation, median, rate_median
from common.balancing import channel_options, target

CONCURRENCY = 16


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` so far (Linux /proc)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _round(client: Validation, pids: dict[str, int], seconds: float) -> tuple[Sample, dict[str, float]]:
    """One closed-loop round, and the cores each process used during it."""
    before = {name: _cpu_seconds(pid) for name, pid in pids.items()}
    own = _own_cpu_seconds()
    started = time.perf_counter()
    sample = await client.run(CONCURRENCY, seconds)
    wall = time.perf_counter() - started
    cores = {name: (_cpu_seconds(pid) - before[name]) / wall for name, pid in pids.items()}
    cores["client"] = (_own_cpu_seconds() - own) / wall
    return sample, cores


async def replica_scaling(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    key = SigningKey.generate()
    seed = key.private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    spec = {
        "kind": "auth",
        "db_url": f"sqlite:///{tmp / 'replicas.db'}",
        "signing_key": {"key_id": key.key_id, "seed": seed.hex()},
    }
    with ServerProcess(spec) as first, ServerProcess(spec) as second:
        assert first.process is not None and second.process is not None
        pids = {"replica_1": first.process.pid, "replica_2": second.process.pid}
        token = first.info["token"]
        clients = {
            "one": Validation(target(first.address), token, options=channel_options()),
            "two": Validation(target(f"{first.address},{second.address}"), token, options=channel_options()),
        }
        samples: dict[str, list[Sample]] = {name: [] for name in clients}
        cores: dict[str, list[dict[str, float]]] = {name: [] for name in clients}
        try:
            for client in clients.values():  # warm-up, discarded: connections to both replicas, token cached
                await client.run(CONCURRENCY, min(sizes.round_seconds, 0.5))
            for r in range(sizes.rounds):
                for name in clients if r % 2 == 0 else reversed(list(clients)):
                    sample, round_cores = await _round(clients[name], pids, sizes.round_seconds)
                    samples[name].append(sample)
                    cores[name].append(round_cores)
        finally:
            for client in clients.values():
                await client.close()
    subject, baseline = rate_median(samples["two"]), rate_median(samples["one"])
    used = {
        name: {process: median([c[process] for c in cores[name]]) for process in (*pids, "client")} for name in clients
    }

    def shown(name: str) -> str:
        return ", ".join(f"{p} {used[name][p]:.2f}" for p in ("client", *pids) if used[name][p] >= 0.05)

    return [
        Row(
            f"7. ValidateToken c={CONCURRENCY}, 2 auth_service replicas / 1",
            f"{subject:,.0f}/s",
            f"{baseline:,.0f}/s",
            subject / baseline,
            "- (reported)",
            None,
            {
                "two_replicas_calls_per_s": subject,
                "one_replica_calls_per_s": baseline,
                "cores_used_two_replicas": used["two"],
                "cores_used_one_replica": used["one"],
                "cores_two_replicas": shown("two"),
                "cores_one_replica": shown("one"),
                "machine_cores": os.cpu_count(),
                "load_average_1min_after": os.getloadavg()[0],  # other work on the machine shares the cores
                "concurrency": CONCURRENCY,
                "rounds": sizes.rounds,
                "round_seconds": sizes.round_seconds,
            },
        )
    ]
