"""Access-token verification in-process: Ed25519 on a token seen for the first time, and the cache hit.

    python -m benchmarks.token_verification [--count 2000] [--rounds 5]

Each round verifies `count` distinct tokens with an empty cache (uncached: base64url
checks, one Ed25519 verification, two JSON parses), then the same tokens again
(cached: one dictionary look-up and the expiry check). Benchmark 1 prints the
medians as an extra row.
"""

from __future__ import annotations

import argparse
import json
import time

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from benchmarks.harness import Row, Sizes, median


def verification_medians(count: int = 2000, rounds: int = 5) -> dict[str, float]:
    """Medians over `rounds` of µs per verify: {"uncached_us", "cached_us", "count", "rounds"}."""
    key = SigningKey.generate()
    issuer = AccessTokenCodec([key], 900)
    tokens = [
        issuer.issue(f"account-{n}", f"session-{n}", f"device-{n}", 1_700_000_000_000_000 + n) for n in range(count)
    ]
    uncached, cached = [], []
    for _ in range(rounds):
        codec = AccessTokenCodec([key], 900, cache_size=count)
        started = time.perf_counter()
        for token in tokens:
            codec.verify(token)
        middle = time.perf_counter()
        for token in tokens:
            codec.verify(token)
        ended = time.perf_counter()
        uncached.append((middle - started) / count * 1e6)
        cached.append((ended - middle) / count * 1e6)
    return {"uncached_us": median(uncached), "cached_us": median(cached), "count": count, "rounds": rounds}


def verification_row(sizes: Sizes) -> Row:
    """The extra row benchmark 1 prints."""
    figures = verification_medians(200, 3) if sizes.quick else verification_medians(5000, 9)
    return Row(
        "1. access-token verify in-process, cached vs not",
        f"{figures['cached_us']:.2f} us cached",
        f"{figures['uncached_us']:.1f} us Ed25519",
        figures["cached_us"] / figures["uncached_us"],
        details=figures,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.token_verification", description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    print(json.dumps(verification_medians(arguments.count, arguments.rounds)))
