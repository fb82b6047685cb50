"""The e2e harness: the whole suite on free ports with its own data folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tools.supervisor import Suite, SuiteConfig


@dataclass(frozen=True)
class RunningSuite:
    """What an e2e test needs to reach the suite."""

    gateway_url: str
    auth_address: str
    device_address: str
    parental_address: str
    gateway_address: str
    metrics_urls: dict[str, str]
    suite: Suite


def local_config(data_dir) -> SuiteConfig:  # type: ignore[no-untyped-def]
    """Every address and metrics port on a free port of 127.0.0.1."""
    return SuiteConfig.on_free_ports(data_dir)


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> Iterator[RunningSuite]:  # type: ignore[no-untyped-def]
    """The four processes, started once per test module and stopped after it."""
    root = tmp_path_factory.mktemp("suite")
    config = local_config(root / "data")
    with Suite(config, log_dir=root / "logs") as running:
        yield RunningSuite(
            gateway_url=config.gateway_url,
            auth_address=config.auth_address,
            device_address=config.device_address,
            parental_address=config.parental_address,
            gateway_address=config.gateway_address,
            metrics_urls=config.metrics_urls(),
            suite=running,
        )
