"""An address's approximate location for auth_service (the approver of a device code sees where the device asked
from): common.geoip's offline lookup, the same as device_service's, loaded on first use."""

from __future__ import annotations

import threading

from common import geoip


class GeoIpLocator:
    """(description, country) of an address; geoip2fast's data is loaded by the first call that needs it."""

    def __init__(self) -> None:
        self._countries: geoip.GeoIpCountries | None = None
        self._lock = threading.Lock()

    def load(self) -> geoip.GeoIpCountries:
        """The data, loaded now unless it is already (about 0.2 s: bootstrap does it in a worker thread)."""
        with self._lock:
            if self._countries is None:
                self._countries = geoip.GeoIpCountries()
            return self._countries

    def _country_of(self, ip_address: str) -> str:
        return self.load()(ip_address)

    def __call__(self, ip_address: str) -> tuple[str, str]:
        return geoip.describe(self._country_of, ip_address)
