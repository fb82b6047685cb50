"""auth_service's per-validator series, from a revocation's receipt: by the validator's configured name."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from auth_service.service_layer.acknowledgements import record_validators
from common.validator import Receipt, new_validator_id


def acks(validator: str) -> tuple[float, float]:
    count = REGISTRY.get_sample_value("remotesignout_validator_ack_seconds_count", {"validator": validator}) or 0.0
    total = REGISTRY.get_sample_value("remotesignout_validator_ack_seconds_sum", {"validator": validator}) or 0.0
    return count, total


def expirations(validator: str) -> float:
    labels = {"validator": validator}
    return REGISTRY.get_sample_value("remotesignout_validator_lease_expirations_total", labels) or 0.0


def test_each_acknowledgement_is_observed_from_the_commit_and_each_expiry_counted() -> None:
    fast, slow = new_validator_id("metrics-gw-1"), new_validator_id("metrics-gw-2")
    receipt = Receipt(7, 1, 1, 250.0, acknowledged_after=((fast, 0.004),), expired_ids=(slow,))
    (count_before, sum_before), expired_before = acks("metrics-gw-1"), expirations("metrics-gw-2")
    record_validators(receipt, publish_seconds=0.001)
    count, total = acks("metrics-gw-1")
    assert count == count_before + 1
    assert total - sum_before == pytest.approx(0.005)
    assert expirations("metrics-gw-2") == expired_before + 1
    assert acks("metrics-gw-2")[0] == 0  # expired: no acknowledgement observed
    exposition = "".join(str(sample) for family in REGISTRY.collect() for sample in family.samples)
    assert fast not in exposition and slow not in exposition  # the name, never the per-process id
