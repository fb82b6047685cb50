from __future__ import annotations

import pytest

from device_service.adapters.geoip import FakeLocator


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "::1", "10.1.2.3", "192.168.1.20", "172.16.0.9", "169.254.1.1", "fe80::1", "fd00::5"]
)
def test_local_addresses_are_the_local_network(address):
    assert FakeLocator({address: "Nowhere"}).locate(address).description == "local network"


def test_no_address_is_an_unknown_location():
    assert FakeLocator().locate("").description == "unknown"


def test_a_public_address_gets_its_country():
    location = FakeLocator({"193.136.0.1": "Portugal"}).locate("193.136.0.1")
    assert (location.country, location.description) == ("Portugal", "Portugal")


def test_a_public_address_the_data_does_not_know_is_unknown():
    location = FakeLocator().locate("45.33.32.156")
    assert (location.country, location.description) == ("", "unknown")
