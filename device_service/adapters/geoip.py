"""IP address -> the device list's approximate location, offline (common.geoip: geoip2fast's bundled data)."""

from __future__ import annotations

from collections.abc import Mapping

from common import geoip
from device_service.domain.model import LOCAL_NETWORK, UNKNOWN_LOCATION, Location


def locate_with(country_of: geoip.CountryLookup, ip_address: str) -> Location:
    """The location of `ip_address`, asking `country_of` only for public addresses."""
    description, country = geoip.describe(country_of, ip_address)
    if description == geoip.LOCAL_NETWORK:
        return LOCAL_NETWORK
    return Location(description=description, country=country) if country else UNKNOWN_LOCATION


class GeoIpLocator:
    """The real Locator, backed by geoip2fast's bundled data (loaded once)."""

    def __init__(self) -> None:
        self._country_of = geoip.GeoIpCountries()

    def locate(self, ip_address: str) -> Location:
        return locate_with(self._country_of, ip_address)


class FakeLocator:
    """A Locator for tests: public addresses get the country from a table."""

    def __init__(self, countries: Mapping[str, str] | None = None) -> None:
        self.countries = dict(countries or {})

    def locate(self, ip_address: str) -> Location:
        return locate_with(geoip.table(self.countries), ip_address)
