"""Throw-away secrets for a suite on this machine (`make run`, tests, benchmarks).

`prepare(data_dir)` makes, once, everything a process refuses to start without:
the local CA and one certificate per process (`<data dir>/pki`, common.pki).
Existing files are kept, so a restart signs no one out. A deployment mounts its
own instead (README, "Security model").
"""

from __future__ import annotations

import pathlib

from common.pki import ensure_local_pki


def prepare(data_dir: pathlib.Path) -> None:
    ensure_local_pki(data_dir / "pki")
