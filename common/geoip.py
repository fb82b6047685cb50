"""IP address -> approximate location (country level), offline: what device_service shows on the device list and
auth_service shows an approver of a device code (RFC 8628 section 5.4).

Local addresses (loopback, private, link-local) are "local network", no address
is "unknown", and public addresses are looked up in the GeoIP data that ships
inside the `geoip2fast` wheel (nothing is downloaded at run time).
"""

from __future__ import annotations

import importlib
import ipaddress
import logging
from collections.abc import Callable, Mapping
from typing import Protocol

log = logging.getLogger(__name__)

DATA_FILE = "geoip2fast-ipv6.dat.gz"  # IPv4 and IPv6
LOCAL_NETWORK = "local network"
UNKNOWN = "unknown"

CountryLookup = Callable[[str], str]


def is_local(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def describe(country_of: CountryLookup, ip_address: str) -> tuple[str, str]:
    """(description, country) of `ip_address`, asking `country_of` only for public addresses: ("local network",
    ""), (UNKNOWN, "") or (country, country)."""
    if not ip_address:
        return UNKNOWN, ""
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return UNKNOWN, ""
    if is_local(address):
        return LOCAL_NETWORK, ""
    country = country_of(str(address))
    return (country, country) if country else (UNKNOWN, "")


def table(countries: Mapping[str, str]) -> CountryLookup:
    """A lookup for tests: public addresses get the country from a table."""
    return lambda address: countries.get(address, "")


class _Result(Protocol):
    """What geoip2fast's lookup answers, as far as it is read here."""

    country_name: str | None


class _GeoIp2Fast(Protocol):
    def lookup(self, ip_address: str) -> _Result: ...


class GeoIpCountries:
    """The country of a public address, from geoip2fast's bundled data (loaded once, about 0.2 s)."""

    def __init__(self) -> None:
        # geoip2fast ships no type information (no py.typed, no stubs): _GeoIp2Fast is the part used here.
        geoip2fast = importlib.import_module("geoip2fast")
        self._geoip: _GeoIp2Fast = geoip2fast.GeoIP2Fast(verbose=False, geoip2fast_data_file=DATA_FILE)

    def __call__(self, ip_address: str) -> str:
        try:
            result = self._geoip.lookup(ip_address)
        except Exception:  # the library raises its own error types on odd input
            log.warning("GeoIP lookup failed", exc_info=True)
            return ""
        if getattr(result, "is_private", False) or len(getattr(result, "country_code", "")) != 2:
            return ""
        return str(result.country_name or "")
