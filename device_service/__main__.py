"""python -m device_service: serve DeviceService on DEVICE_ADDRESS (settings: device_service.config)."""

from __future__ import annotations

from common.runner import run
from device_service.entrypoints import server


def main() -> None:
    run("device_service", server.main)


if __name__ == "__main__":
    main()
