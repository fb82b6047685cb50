"""Which devices were last seen somewhere unusual for their account: a hint that a device was lost or stolen.

A device's last country is usual when another device of the account signed in from
that country recently. A device with no known country (no address, the local
network, no GeoIP match) is never unusual, and neither is any device of an account
whose other devices have no recent sign-in from a known country: there is nothing
to compare with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set

from device_service.domain.model import Device


def unusual_device_ids(devices: Iterable[Device], sign_in_countries: Mapping[str, Set[str]]) -> set[str]:
    """The ids of `devices` whose last country is not among the countries of the account's other devices'
    recent sign-ins; `sign_in_countries` maps each device id of the account to the known countries it signed in
    from recently."""
    unusual = set()
    for device in devices:
        country = device.location.country
        if not country:
            continue
        elsewhere = {
            seen
            for device_id, countries in sign_in_countries.items()
            if device_id != device.device_id
            for seen in countries
        }
        if elsewhere and country not in elsewhere:
            unusual.add(device.device_id)
    return unusual
